/** HTTP plumbing of the Discord fake: reading JSON / multipart bodies. */
import type { IncomingMessage } from 'node:http';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { ERRORS, type UploadedFile } from './discord-types.ts';

/** Unboosted attachment limit plus form overhead; Discord answers 413 (40005) above its limit. */
const MAX_BODY = 10 * 1024 * 1024 + 256 * 1024;

export interface ReadBody {
  body: unknown;
  files: UploadedFile[];
  /** Total uploaded bytes (checked against the attachment size limit). */
  uploadBytes: number;
}

async function collect(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) tooLarge = true; // keep draining so the 413 reaches the client
    else chunks.push(chunk);
  }
  if (tooLarge) throw ERRORS.tooLarge();
  return Buffer.concat(chunks);
}

const fileIndex = (field: string) => Number(/\[(\d+)\]$/.exec(field)?.[1] ?? Number.MAX_SAFE_INTEGER);

/**
 * The request body: JSON (`application/json`), or multipart with `payload_json` and `files[n]` parts (as
 * @discordjs/rest sends through undici's FormData). Other multipart fields become body keys, as Discord allows.
 * Throws DiscordApiError 50109 for JSON that does not parse, 413 for bodies over the limit.
 */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const raw = await collect(req);
  const contentType = req.headers['content-type'] ?? '';
  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw ERRORS.invalidJson();
    }
  };
  if (/^multipart\/form-data/i.test(contentType)) {
    const parsed = parseMultipart(raw, multipartBoundary(contentType) ?? '');
    const { payload_json: payloadJson, ...fields } = parsed.fields;
    const body = payloadJson !== undefined ? parseJson(payloadJson) : fields;
    const files = Object.values(parsed.files)
      .sort((a, b) => fileIndex(a.field) - fileIndex(b.field))
      .map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, bytes: f.data }));
    return { body, files, uploadBytes: files.reduce((n, f) => n + f.bytes.length, 0) };
  }
  if (raw.length === 0) return { body: undefined, files: [], uploadBytes: 0 };
  if (/^application\/json/i.test(contentType)) return { body: parseJson(raw.toString('utf8')), files: [], uploadBytes: 0 };
  return { body: undefined, files: [], uploadBytes: 0 };
}
