import type { IncomingHttpHeaders } from 'node:http';
import { LocalServer } from './local-server.ts';

/** What the fake API answers next; the test changes it on cue. */
export interface ApiAnswer {
  status: number;
  body: string;
  contentType?: string;
  etag?: string;
  headers?: Record<string, string>;
  /** Drop the connection instead of answering (an unreachable API). */
  hangUp?: boolean;
}

/**
 * A JSON/text API on 127.0.0.1 that answers whatever `answer` is now, honours If-None-Match with 304
 * like a real server, and records every request's headers, so a test sees what the poller sent.
 */
export class FakeApi {
  answer: ApiAnswer = { status: 200, body: '{}', contentType: 'application/json' };
  readonly requests: IncomingHttpHeaders[] = [];

  private constructor(private readonly local: LocalServer) {}

  static async start(): Promise<FakeApi> {
    let api: FakeApi | undefined;
    const local = await LocalServer.listen((request, response) => {
      const fake = api!;
      fake.requests.push(request.headers);
      const answer = fake.answer;
      if (answer.hangUp) return void request.socket.destroy();
      if (answer.etag !== undefined && request.headers['if-none-match'] === answer.etag) {
        response.writeHead(304, { etag: answer.etag }).end();
        return;
      }
      response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', ...(answer.etag === undefined ? {} : { etag: answer.etag }), ...answer.headers });
      response.end(answer.body);
    });
    api = new FakeApi(local);
    return api;
  }

  url(path = '/orders/42'): string {
    return `http://127.0.0.1:${this.local.port}${path}`;
  }

  close(): Promise<void> {
    return this.local.close();
  }
}
