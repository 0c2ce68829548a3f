import express from 'express';

/**
 * The baseline: the least an express 5 webhook receiver can do (read the raw body, answer),
 * so the bench shows what hookwatch's capture, storage and notification cost on top of express.
 */
const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/wh/:token', express.raw({ type: '*/*' }), (_req, res) => {
  res.status(200).json({ ok: true });
});

app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
