const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Characters a terminal may act on or hide: controls, bidi and zero-width formats, line separators. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * Bytes as one POSIX shell word, taken literally whatever they are (review lesson 11). Printable
 * UTF-8 goes in single quotes, where nothing expands (a quote is closed, escaped, reopened: `'\''`);
 * every other byte (controls, invalid UTF-8, invisible formatting) is written as `$'\xHH'`, so the
 * command reads as plain ASCII and pasting it cannot steer the terminal. `$'…'` is bash, zsh and
 * POSIX 2024; dash takes it as literal text, which is wrong but still runs nothing.
 */
export function shellQuote(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new RangeError('A NUL byte cannot be passed in a shell argument: pass such bytes in a file.');
  let quoted = '';
  let literal = '';
  let escaped = '';
  const flushLiteral = () => {
    if (literal) quoted += `'${literal.replaceAll("'", `'\\''`)}'`;
    literal = '';
  };
  const flushEscaped = () => {
    if (escaped) quoted += `$'${escaped}'`;
    escaped = '';
  };
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes[at]!);
    const char = decodeOne(bytes.subarray(at, at + length));
    if (char !== undefined && !UNPRINTABLE.test(char)) {
      flushEscaped();
      literal += char;
      at += length;
    } else {
      // An invalid sequence is escaped a byte at a time, so the bytes after it are read afresh.
      const taken = char === undefined ? 1 : length;
      flushLiteral();
      for (const byte of bytes.subarray(at, at + taken)) escaped += `\\x${byte.toString(16).padStart(2, '0')}`;
      at += taken;
    }
  }
  flushLiteral();
  flushEscaped();
  return quoted || "''";
}

/** How many bytes the UTF-8 sequence starting with this byte claims (1 for a stray byte). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

function decodeOne(sequence: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(sequence);
  } catch {
    return undefined;
  }
}
