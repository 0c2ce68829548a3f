import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';

/**
 * The third baseline: node:http that stores each body durably before answering, and nothing else (no
 * analysis, search index or notification): one SQLite table in WAL mode with synchronous=FULL, the
 * requests of one event-loop turn (and of a commit in flight) written in one INSERT, as hookwatch
 * commits. What it reaches is the most any receiver that answers only once a delivery is on disk can
 * reach on this machine, so the bench can tell the cost of durability from the cost of hookwatch.
 */
const OK = JSON.stringify({ ok: true });
const dir = mkdtempSync(join(tmpdir(), 'bare-durable-'));
const db = new sqlite3.Database(join(dir, 'bodies.sqlite'));
process.on('SIGTERM', () => db.close(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}));
db.serialize(() => {
  db.run('PRAGMA journal_mode=WAL');
  db.run('PRAGMA synchronous=FULL');
  db.run('CREATE TABLE bodies(id INTEGER PRIMARY KEY, path TEXT, body BLOB)');
});

let waiting: Array<{ path: string; body: Buffer; answer: () => void }> = [];
let writing = false;

function commit(): void {
  if (waiting.length === 0) {
    writing = false;
    return;
  }
  writing = true;
  const batch = waiting.splice(0, 1000);
  db.run(`INSERT INTO bodies(path, body) VALUES ${batch.map(() => '(?, ?)').join(',')}`, batch.flatMap((entry) => [entry.path, entry.body]), (error) => {
    if (error) throw error;
    for (const entry of batch) entry.answer();
    commit();
  });
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    waiting.push({
      path: req.url ?? '',
      body: Buffer.concat(chunks),
      answer: () => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(OK) }).end(OK),
    });
    if (!writing) {
      writing = true;
      setImmediate(commit);
    }
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
