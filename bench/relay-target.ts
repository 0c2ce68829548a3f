import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

/**
 * The user's own server in the forward bench: answers every relay 200 at once and notes when each
 * delivery first arrived (by X-Hookwatch-Delivery). GET /arrivals gives them, GET /healthz says it is up.
 * A line `down` on stdin closes the port and every open connection (relays then meet ECONNREFUSED, as with
 * a stopped server); `up` listens on it again, keeping what arrived before. Each is acknowledged on stdout.
 */
const arrivals = new Map<string, number>();
let total = 0;
const port = Number(process.env.PORT);

const server = createServer((req, res) => {
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
}).listen(port, '127.0.0.1');

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'down') {
    server.close(() => console.log('down'));
    server.closeAllConnections();
  }
  if (line === 'up') server.listen(port, '127.0.0.1', () => console.log('up'));
});
