import { createServer } from 'node:http';

/**
 * The user's own server in the forward bench: answers every relay 200 at once and notes when each
 * delivery first arrived (by X-Hookwatch-Delivery). GET /arrivals gives them, GET /healthz says it is up.
 */
const arrivals = new Map<string, number>();
let total = 0;

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return void res.end('{"ok":true}');
  if (req.method === 'GET' && req.url === '/arrivals') return void res.end(JSON.stringify({ total, arrivals: Object.fromEntries(arrivals) }));
  const at = Date.now();
  req.resume();
  req.on('end', () => {
    total += 1;
    const id = req.headers['x-hookwatch-delivery'];
    if (typeof id === 'string' && !arrivals.has(id)) arrivals.set(id, at);
    res.end('ok');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
