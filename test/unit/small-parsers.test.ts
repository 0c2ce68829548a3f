import { describe, expect, it } from 'vitest';
import { closestWord } from '../../src/commands/closest-word.ts';
import { parseCommandLine } from '../../src/commands/parse-command-line.ts';
import { formatDuration, parseDuration } from '../../src/domain/duration.ts';
import { createDeliveryIdGenerator, DELIVERY_ID_PATTERN, deliveryIdFloor, deliveryIdTime, NODE_SLOTS } from '../../src/domain/ids.ts';
import { isCredentialName } from '../../src/domain/is-credential-name.ts';
import { maskCredential } from '../../src/domain/mask-credential.ts';
import { maskQuery } from '../../src/domain/mask-query.ts';
import { newToken } from '../../src/domain/ids.ts';

describe('parseCommandLine', () => {
  it('accepts a leading slash and a Telegram @botname suffix', () => {
    expect(parseCommandLine('/Mute@hookwatch_bot  stripe 2h ')).toEqual({ name: 'mute', args: ['stripe', '2h'] });
    expect(parseCommandLine('list')).toEqual({ name: 'list', args: [] });
    expect(parseCommandLine('   ')).toBeUndefined();
  });
});

describe('durations', () => {
  it('parses 30m, 2h, 1d, 1w and combinations, and refuses the rest', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1W')).toBe(604_800_000);
    for (const bad of ['', '2', 'h', '0m', '-1h', '400d', 'forever', '1.h', '2 parsecs']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('accepts durations the way people type them: spaces, decimals and unit words', () => {
    expect(parseDuration('1 h')).toBe(3_600_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('90 min')).toBe(5_400_000);
    expect(parseDuration('2 hours 15 minutes')).toBe(8_100_000);
    expect(parseDuration(' 1 Day ')).toBe(86_400_000);
  });

  it('formats the two largest units', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
  });
});

describe('ids', () => {
  it('makes tokens of 128 random bits, URL-safe', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
  });

  it('makes delivery ids that sort by time, also within one millisecond and when the clock steps back', () => {
    const next = createDeliveryIdGenerator();
    const ids = [next(1000), next(1000), next(1000), next(999), next(2000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    expect(deliveryIdTime(ids[4]!)).toBe(2000);
    expect(deliveryIdFloor(2000) < ids[4]! && deliveryIdFloor(2000) > ids[3]!).toBe(true);
  });

  it('gives processes in different id slots ids that never collide, each still in time order', () => {
    const slots = [0, 1, NODE_SLOTS - 1];
    const made = slots.map((slot) => {
      const next = createDeliveryIdGenerator(() => slot);
      return Array.from({ length: 20_000 }, (_, i) => next(1_700_000_000_000 + Math.floor(i / 2000)));
    });
    for (const ids of made) expect([...ids].sort()).toEqual(ids);
    expect(new Set(made.flat()).size).toBe(3 * 20_000);
    for (const ids of made) expect(ids.every((id) => id.length === 16 && DELIVERY_ID_PATTERN.test(id))).toBe(true);
  });
});

describe('credential masking', () => {
  it('knows credential header and query parameter names by one rule', () => {
    const credentials = [
      'Authorization', 'cookie', 'Set-Cookie', 'Proxy-Authorization', 'X-Api-Key', 'X-Hub-Signature-256', 'x-gitlab-token', 'X-Webhook-Secret', 'db-password',
      'X-Shopify-Hmac-Sha256', 'X-Auth', 'X-Amz-Credential', 'X-Amz-Signature', 'session_id', 'access_token', 'api_key', 'apiKey', 'client_secret', 'jwt', 'sig', 'x-sig', 'pwd', 'userPwd', 'pass', 'oauth_verifier',
    ];
    for (const name of credentials) expect(isCredentialName(name), name).toBe(true);
    for (const name of ['content-type', 'user-agent', 'x-github-event', 'author', 'authority', 'page', 'signal', 'passenger', 'design']) expect(isCredentialName(name), name).toBe(false);
  });

  it('masks credential query parameters and keeps the rest of the query exactly', () => {
    expect(maskQuery('token=abcdefghijkl3f9a&page=2&api%5Fkey=short&flag&&a=b=c&Signature=x%2By')).toBe('token=••••3f9a&page=2&api%5Fkey=••••&flag&&a=b=c&Signature=••••');
    expect(maskQuery('author=jane&q=')).toBe('author=jane&q=');
  });

  it('keeps the scheme and the last four characters of long values only', () => {
    expect(maskCredential('Bearer abcdefghijkl3f9a')).toBe('Bearer ••••3f9a');
    expect(maskCredential('sha256=0123456789abcdef')).toBe('••••cdef');
    expect(maskCredential('short')).toBe('••••');
  });
});

describe('closestWord', () => {
  it('suggests a command within two edits', () => {
    expect(closestWord('lsit', ['list', 'last'])).toBe('list');
    expect(closestWord('xyzzy', ['list', 'last'])).toBeUndefined();
  });
});
