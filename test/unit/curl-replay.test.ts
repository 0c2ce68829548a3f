import { describe, expect, it } from 'vitest';
import { curlReplay } from '../../src/commands/curl-replay.ts';
import type { Delivery } from '../../src/domain/delivery.ts';
import { runWithFakeCurl } from '../helpers/run-with-fake-curl.ts';

const BASE = 'https://hooks.example.com/wh/tok';

function delivery(parts: Partial<Delivery> & { bodyText?: string }): Delivery {
  const body = Buffer.from(parts.bodyText ?? '');
  return { id: '01test', endpointId: 'e1', receivedAt: 0, method: 'POST', subPath: '', query: '', headers: [], body: body.toString('base64'), size: body.length, sourceIp: '', ...parts };
}

/** What curl is given, as text: node hands us header and request-line bytes as latin1 characters. */
const argvText = (argv: Buffer[]) => argv.map((argument) => argument.toString('latin1'));

describe('curlReplay', () => {
  it('gives curl every hostile header, path, query and body exactly, and runs nothing else', () => {
    const headers: Array<[string, string]> = [
      ['content-type', 'application/json'],
      ['x-evil-`touch$IFS.pwned`', '$(touch pwned) `touch pwned` ${IFS} \'"; touch pwned #'],
      ['x-quote\'s', "it's \"quoted\" \\ 'twice'"],
      ['x-ctl', 'a\tb\x1b[2J\x07\x7f\x01c'],
      ['x-latin1', 'caf\u00c3\u00a9 \u00ff\u00fe'],
      ['host', 'example.com'],
    ];
    const replay = curlReplay(
      delivery({ method: 'PATCH', subPath: "/a'$(touch pwned)`x`/[1-9]{a,b}", query: 'q=$(touch pwned)&r=`x`&s=\'', headers, bodyText: '@/etc/passwd\n$(touch pwned)\n`touch pwned`; \'quoted\' "twice" ✓ \u202e' }),
      BASE,
      undefined,
    );
    const run = runWithFakeCurl(replay.command);
    expect(run.stderr).toBe('');
    expect(run.created).toEqual([]);
    expect(argvText(run.argv)).toEqual([
      '--globoff', '-X', 'PATCH', `${BASE}/a'$(touch pwned)\`x\`/[1-9]{a,b}?q=$(touch pwned)&r=\`x\`&s='`,
      '-H', 'content-type: application/json',
      '-H', 'x-evil-`touch$IFS.pwned`: $(touch pwned) `touch pwned` ${IFS} \'"; touch pwned #',
      '-H', "x-quote's: it's \"quoted\" \\ 'twice'",
      '-H', 'x-ctl: a\tb\x1b[2J\x07\x7f\x01c',
      '-H', 'x-latin1: caf\u00c3\u00a9 \u00ff\u00fe',
      '--data-raw', Buffer.from('@/etc/passwd\n$(touch pwned)\n`touch pwned`; \'quoted\' "twice" ✓ \u202e').toString('latin1'),
    ]);
  });

  it('writes a command with no control characters in it, whatever the bytes', () => {
    const replay = curlReplay(delivery({ headers: [['x-ctl', '\x1b]0;title\x07\x1b[2J\r']], bodyText: 'a\x1b[31mred\u202e' }), BASE, undefined);
    expect(replay.command.split('\n').map((line) => line.replace(/ \\$/, ''))).not.toContainEqual(expect.stringMatching(/[\p{C}\p{Zl}\p{Zp}]/u));
  });

  it('reads credentials from variables named safely after the header, never from the raw name', () => {
    const headers: Array<[string, string]> = [
      ['x-token-`touch$IFS.pwned`', 'tok_1'],
      ['Authorization', 'Bearer sk_live_1'],
      ['authorization', 'Bearer sk_live_2'],
      ['github-token', 'ghp_x'],
    ];
    const replay = curlReplay(delivery({ headers }), BASE, undefined);
    expect(replay.variables).toEqual(['HEADER_X_TOKEN_TOUCH_IFS_PWNED', 'HEADER_AUTHORIZATION', 'HEADER_AUTHORIZATION_2', 'HEADER_GITHUB_TOKEN']);
    expect(replay.command).not.toContain('sk_live');
    const values = { HEADER_X_TOKEN_TOUCH_IFS_PWNED: 'tok_1', HEADER_AUTHORIZATION: 'Bearer sk_live_1', HEADER_AUTHORIZATION_2: 'Bearer sk_live_2', HEADER_GITHUB_TOKEN: 'ghp_x', GITHUB_TOKEN: 'the user\'s own' };
    const run = runWithFakeCurl(replay.command, values);
    expect(run.created).toEqual([]);
    expect(argvText(run.argv).filter((_, index, all) => all[index - 1] === '-H')).toEqual(headers.map(([name, value]) => `${name}: ${value}`));
  });

  it('reads credential query values from variables too, keeping the rest of the query as it was', () => {
    const replay = curlReplay(delivery({ query: 'page=1&x-token-$(touch pwned)=t1&flag&api%5Fkey=k%2B1&&z=`x`' }), BASE, undefined);
    expect(replay.variables).toEqual(['QUERY_X_TOKEN_TOUCH_PWNED', 'QUERY_API_5FKEY']);
    const run = runWithFakeCurl(replay.command, { QUERY_X_TOKEN_TOUCH_PWNED: 't1', QUERY_API_5FKEY: 'k%2B1' });
    expect(run.created).toEqual([]);
    expect(argvText(run.argv)[3]).toBe(`${BASE}?page=1&x-token-$(touch pwned)=t1&flag&api%5Fkey=k%2B1&&z=\`x\``);
  });

  it('stops before running curl when a credential variable is not set', () => {
    const replay = curlReplay(delivery({ headers: [['x-api-key', 'k']] }), BASE, undefined);
    const run = runWithFakeCurl(replay.command);
    expect(run.argv).toEqual([]);
    expect(run.stderr).toContain('HEADER_X_API_KEY');
  });

  it('reads a binary body from the named file', () => {
    const replay = curlReplay(delivery({ bodyText: 'ignored' }), BASE, 'payload-01test.bin');
    expect(argvText(runWithFakeCurl(replay.command).argv).slice(-2)).toEqual(['--data-binary', '@payload-01test.bin']);
  });
});
