import { createServer } from 'node:http';

/**
 * The second baseline: node:http alone (read the body, answer), the floor under any framework, so
 * the bench shows how much of the distance to express is express and how much is node itself.
 */
const OK = JSON.stringify({ ok: true });

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(OK) }).end(OK);
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
