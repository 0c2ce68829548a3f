/** A user's own server behind hookwatch: records every request exactly and answers as the test scripts it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.ts';

export interface ReceivedRelay {
  method: string;
  /** Path and query as requested. */
  url: string;
  /** Header lines as they came over the wire: case, order and repeats. */
  rawHeaders: Array<[string, string]>;
  body: Buffer;
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Decides each answer; `verify` may look at the request (e.g. check a vendor signature) and answer 400 itself. */
export type Script = (request: ReceivedRelay, index: number) => Answer | Promise<Answer>;

export interface RelayTarget {
  url: string;
  received: ReceivedRelay[];
  /** Replaces the script for the requests that follow. */
  answerWith(script: Script): void;
  /** Resolves once `count` requests have been answered. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRelayTarget(script: Script = () => ({ status: 200, body: 'ok' })): Promise<RelayTarget> {
  const received: ReceivedRelay[] = [];
  let current = script;
  let answered = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawHeaders: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const request: ReceivedRelay = { method: req.method ?? '', url: req.url ?? '', rawHeaders, body: Buffer.concat(chunks), at: Date.now() };
    const index = received.push(request) - 1;
    const answer = await current(request, index);
    res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    answered += 1;
    for (const waiter of waiters.filter((one) => answered >= one.count)) waiter.resolve();
  }

  const server = await LocalServer.listen((req, res) => void handle(req, res));
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    answerWith: (next) => void (current = next),
    waitFor(count, timeoutMs = 10_000) {
      if (answered >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the target answered ${answered} of ${count} requests`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => server.close(),
  };
}

/** A header's value as the target received it (first of its name, any case). */
export function receivedHeader(request: ReceivedRelay, name: string): string | undefined {
  return request.rawHeaders.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}
