import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/commands/shell-quote.ts';
import { runWithFakeCurl } from '../helpers/run-with-fake-curl.ts';

/** Each would run `touch pwned` (or worse) if anything expanded. */
const HOSTILE: Array<[string, Buffer]> = [
  ['backticks', Buffer.from('`touch pwned`')],
  ['command substitution', Buffer.from('$(touch pwned)')],
  ['$IFS and variables', Buffer.from('x$IFS${HOME}$((1+1))touch$IFS.pwned')],
  ['single quotes', Buffer.from("'; touch pwned; echo '")],
  ['double quotes', Buffer.from('"; touch pwned; echo "')],
  ['separators and redirections', Buffer.from('a; touch pwned && touch pwned | cat > pwned & ! # ~ * ? [a] {a,b}')],
  ['a backslash before a quote', Buffer.from("\\'$(touch pwned)\\")],
  ['newlines', Buffer.from('line one\ntouch pwned\r\n')],
  ['control characters', Buffer.from([0x01, 0x07, 0x08, 0x09, 0x1b, 0x5b, 0x32, 0x4a, 0x7f, 0x9b])],
  ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0xe2, 0x82, 0x62, 0xf0, 0x9f])],
  ['unicode, with bidi overrides and zero-width spaces', Buffer.from('café ✓ 日本 🎉 \u202etxt.exe\u200b \u2028 \u00a0')],
  ['an empty string', Buffer.alloc(0)],
];

describe('shellQuote', () => {
  it.each(HOSTILE)('passes %s to the command exactly, running nothing else', (_, bytes) => {
    const run = runWithFakeCurl(`curl ${shellQuote(bytes)} ${shellQuote(bytes)}x`);
    expect(run.stderr).toBe('');
    expect(run.created).toEqual([]);
    expect(run.argv).toEqual([bytes, Buffer.concat([bytes, Buffer.from('x')])]);
  });

  it('writes only printable text: controls, invalid UTF-8 and invisible characters become \\xHH', () => {
    for (const [, bytes] of HOSTILE) expect(shellQuote(bytes)).not.toMatch(/[\p{C}\p{Zl}\p{Zp}]/u);
    expect(shellQuote(Buffer.from('a\x1b[2Jb'))).toBe("'a'$'\\x1b''[2Jb'");
    expect(shellQuote(Buffer.from("it's"))).toBe("'it'\\''s'");
    expect(shellQuote(Buffer.from([0xff, 0x41]))).toBe("$'\\xff''A'");
  });

  it('refuses a NUL byte, which no argument can carry', () => {
    expect(() => shellQuote(Buffer.from([0x61, 0x00]))).toThrow(/NUL byte/);
  });
});
