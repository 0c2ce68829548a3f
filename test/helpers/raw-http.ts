import { connect, type Socket } from 'node:net';

/** Statuses on a raw socket as they arrive: `100` (Continue) first when sent, then the final one. */
function statuses(socket: Socket): { continued: Promise<void>; final: Promise<number> } {
  let head = '';
  let onContinue: () => void = () => undefined;
  const continued = new Promise<void>((resolve) => (onContinue = resolve));
  const final = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.startsWith('HTTP/1.1 100 ')) onContinue();
      const match = /(?:^|\r\n)HTTP\/1\.1 ([2-5]\d\d) /.exec(head);
      if (match) resolve(Number(match[1]));
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before a response: ${JSON.stringify(head)}`)));
  });
  final.catch(() => undefined);
  return { continued, final };
}

/** Sends `text` as is (request line, headers, body; say `Connection: close`) on a new connection; resolves with the whole response. */
export function rawRequest(url: string, text: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(response));
  });
}

export interface Upload {
  /** Resolves when the server has taken the request in (its 100 Continue). */
  accepted: Promise<void>;
  /** Sends the rest of the body and resolves with the response status. */
  finish(rest: string): Promise<number>;
  /** Drops the connection mid-body, as a sender that gave up would. */
  abort(): void;
}

/**
 * A POST whose head and first body bytes are sent at once, the rest only when asked: a body in
 * flight. With `declared`, Content-Length says the whole size; else it is chunked. It asks for a
 * 100 Continue, which node sends as it hands the request to the app.
 */
export function startUpload(url: string, first: string, declared?: number): Upload {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  const { continued, final } = statuses(socket);
  const framing = declared === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`;
  const chunk = (text: string) => (declared === undefined ? `${text.length.toString(16)}\r\n${text}\r\n` : text);
  socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nExpect: 100-continue\r\n${framing}\r\n\r\n${chunk(first)}`);
  return {
    accepted: continued,
    finish(rest) {
      socket.write(chunk(rest) + (declared === undefined ? '0\r\n\r\n' : ''));
      return final.finally(() => socket.destroy());
    },
    abort: () => socket.destroy(),
  };
}
