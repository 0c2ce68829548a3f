import pg from 'pg';

/** A query the server does not answer in this long means the connection is gone (a network cut). */
const QUERY_TIMEOUT_MS = 5000;

/**
 * A dedicated connection (never a pool's: a session's lock and LISTEN belong to that one connection),
 * with TCP keepalive so a cut is noticed; `onGone` runs once, on its error or end.
 */
export async function connectPostgresClient(url: string, onGone: (error: Error) => void): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 5000, connectionTimeoutMillis: QUERY_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS });
  let connected = false;
  let gone = false;
  // Failing to connect rejects `connect()`; after that, an error or end is the connection lost.
  const lose = (error: Error) => {
    if (!connected || gone) return;
    gone = true;
    onGone(error);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error('the connection to PostgreSQL ended')));
  await client.connect();
  connected = true;
  return client;
}
