/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

/**
 * Items as JSON arrays of strings, each array's JSON within `maxBytes`, in order. An item that cannot
 * fit even alone is returned in `tooLarge` rather than sent cut.
 */
export function splitIntoPayloads(items: string[], maxBytes: number, envelopeBytes: number): { payloads: string[][]; tooLarge: string[] } {
  const payloads: string[][] = [];
  const tooLarge: string[] = [];
  let current: string[] = [];
  // "[]" plus the envelope; each item adds its JSON and a comma.
  let size = envelopeBytes + 2;
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (envelopeBytes + 2 + itemBytes > maxBytes) {
      tooLarge.push(item);
      continue;
    }
    if (size + itemBytes > maxBytes) {
      payloads.push(current);
      current = [];
      size = envelopeBytes + 2;
    }
    current.push(item);
    size += itemBytes;
  }
  if (current.length > 0) payloads.push(current);
  return { payloads, tooLarge };
}
