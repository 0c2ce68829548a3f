/**
 * A small, tolerant multipart/form-data parser for what grammY writes (grammy/out/core/payload.js):
 *
 *   --B\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n777
 *   \r\n--B\r\ncontent-disposition:form-data;name="<id>";filename=payload x.json\r\n
 *   content-type:application/octet-stream\r\n\r\n<bytes>
 *   \r\n--B--\r\n
 *
 * i.e. no space after `:`, an UNQUOTED filename that may contain spaces, and binary bodies. busboy drops such
 * parts and undici's `Response.formData()` rejects the whole body, hence this parser. Also accepts the usual
 * browser/curl form (quoted names, `Content-Disposition: form-data; name="x"; filename="y"`).
 */

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, MultipartFile>;
}

/** The boundary parameter of a multipart content-type header, unquoted. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function dispositionParam(disposition: string, name: string): string | undefined {
  // Anchored on `;` so that `name=` does not match inside `filename=`.
  const quoted = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*"([^"]*)"`, 'i').exec(disposition);
  if (quoted) return quoted[1];
  // Unquoted: up to the next `;` for `name`; the rest of the line for `filename` (grammY writes it last).
  const rest = name === 'filename' ? '(.*)$' : '([^;]*)';
  const bare = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*${rest}`, 'i').exec(disposition);
  return bare?.[1]?.trim();
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, string> = {};
  const files: Record<string, MultipartFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing `--B--`
    if (body[pos] === 0x0d) pos++;
    if (body[pos] === 0x0a) pos++;

    // The part ends at the CRLF before the next delimiter (tolerate a bare LF or none at all).
    let next = body.indexOf(delimiter, pos);
    if (next === -1) next = body.length;
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;

    const part = body.subarray(pos, Math.max(pos, end));
    let headerEnd = part.indexOf('\r\n\r\n');
    let separator = 4;
    if (headerEnd === -1) {
      headerEnd = part.indexOf('\n\n');
      separator = 2;
    }
    if (headerEnd !== -1) {
      const headers: Record<string, string> = {};
      for (const line of part.subarray(0, headerEnd).toString('utf8').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const disposition = headers['content-disposition'] ?? '';
      const name = dispositionParam(disposition, 'name');
      const filename = dispositionParam(disposition, 'filename');
      const data = Buffer.from(part.subarray(headerEnd + separator));
      if (name !== undefined && filename !== undefined) {
        files[name] = {
          field: name,
          filename,
          contentType: headers['content-type'] ?? 'application/octet-stream',
          data,
        };
      } else if (name !== undefined) {
        fields[name] = data.toString('utf8');
      }
    }
    pos = next === body.length ? -1 : next;
  }
  return { fields, files };
}
