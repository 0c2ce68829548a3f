/** The two non-API URLs the Slack fake hands out: response_urls (Bolt's `respond()`) and upload_urls. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { isRecord, type SlackResponsePost } from './slack-types.ts';

const text = (res: ServerResponse, status: number, body: string) =>
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);

/** response_urls: `POST /response/<id>` with a JSON message; recorded, answered `ok` like hooks.slack.com. */
export class ResponseUrls {
  readonly posts: SlackResponsePost[] = [];
  private readonly ids = new Set<string>();

  issue(baseUrl: string): { responseUrl: string; responseId: string } {
    const responseId = randomBytes(12).toString('hex');
    this.ids.add(responseId);
    return { responseUrl: `${baseUrl}/response/${responseId}`, responseId };
  }

  /** 404 `no_service` for an id never issued, 400 `invalid_payload` for a body that is not a JSON object. */
  receive(responseId: string, body: Buffer, res: ServerResponse): void {
    if (!this.ids.has(responseId)) return void text(res, 404, 'no_service');
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (!isRecord(json)) return void text(res, 400, 'invalid_payload');
    this.posts.push({ ...json, responseId, at: Date.now() });
    text(res, 200, 'ok');
  }
}

/**
 * The bytes of a files.uploadV2 step-2 POST: web-api sends multipart/form-data with one file part (field `body`,
 * filename `Untitled`); Slack also takes the raw bytes as the body.
 */
export function uploadedBytes(contentType: string, body: Buffer): { bytes: Buffer; as: 'multipart' | 'raw' } {
  if (/^multipart\/form-data/i.test(contentType)) {
    const file = Object.values(parseMultipart(body, multipartBoundary(contentType) ?? '').files)[0];
    if (file) return { bytes: file.data, as: 'multipart' };
  }
  return { bytes: body, as: 'raw' };
}

/** Answers the upload POST: 200 `OK - <bytes>` (web-api only checks the status), 404 for an unknown file id. */
export function answerUpload(res: ServerResponse, stored: boolean, length: number): void {
  if (stored) text(res, 200, `OK - ${length}`);
  else text(res, 404, 'Not Found');
}
