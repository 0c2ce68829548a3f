import type { Socket } from 'node:net';

/** Status and reason for requests node's parser refuses before the app sees them. */
const REFUSALS: Record<string, [status: string, reason: string]> = {
  HPE_HEADER_OVERFLOW: ['431 Request Header Fields Too Large', 'request line and headers larger than the server accepts (16 KB); nothing was stored'],
  ERR_HTTP_REQUEST_TIMEOUT: ['408 Request Timeout', 'the request took too long to arrive; nothing was stored'],
};
const MALFORMED: [string, string] = ['400 Bad Request', 'malformed HTTP request; nothing was stored'];

/**
 * The server's `clientError` listener: node's own answer to oversized headers is a bare 431, so a
 * sender could not tell why; this one says. A connection already answering or gone is just closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || socket.bytesWritten > 0 || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason] = REFUSALS[error.code ?? ''] ?? MALFORMED;
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`);
}
