import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import { verifyDelivery } from '../../../src/providers/verify-delivery.ts';
import { fixtures } from '../../helpers/fixtures.ts';
import { signFixture } from '../../helpers/sign-fixture.ts';
import { fixtureRequest, type ProviderFixture } from './requests.ts';

const all = fixtures as ProviderFixture[];
// Signed now by each sender's own SDK: neither the stored signatures nor their timestamps are trusted.
const signed = await Promise.all(all.filter((fixture) => fixture.provider !== null && fixture.secret !== undefined).map((fixture) => signFixture(fixture)));
const WRONG = 'wrong secret or changed body';

// How each signing scheme reports a wrong secret, and whether it signs the body and a timestamp.
const scheme: Record<string, { wrongSecret: string; signsBody: boolean; replayWindow: boolean }> = {
  stripe: { wrongSecret: WRONG, signsBody: true, replayWindow: true },
  github: { wrongSecret: WRONG, signsBody: true, replayWindow: false },
  gitlab: { wrongSecret: 'wrong secret token', signsBody: false, replayWindow: false },
  shopify: { wrongSecret: WRONG, signsBody: true, replayWindow: false },
  'standard-webhooks': { wrongSecret: WRONG, signsBody: true, replayWindow: true },
  twilio: { wrongSecret: 'wrong auth token, changed body or different URL', signsBody: true, replayWindow: false },
};

/** The same secret with one character changed (after `whsec_`, so it stays well-formed base64). */
function altered(secret: string): string {
  const at = secret.startsWith('whsec_') ? 6 : 0;
  return `${secret.slice(0, at)}${secret[at] === 'A' ? 'B' : 'A'}${secret.slice(at + 1)}`;
}

function verifyAt(fixture: ProviderFixture, seconds: number, secret: string | undefined, body?: Buffer) {
  const request = fixtureRequest(fixture, body ? { body } : {});
  return verifyDelivery(request, detectProvider(request), secret, seconds * 1000);
}

describe('the sample deliveries', () => {
  it.each(all.filter((fixture) => fixture.provider !== null).map((fixture) => [fixture.file, fixture] as const))('detects %s with its event and id', (_, fixture) => {
    expect(detectProvider(fixtureRequest(fixture))).toMatchObject({ provider: fixture.provider, event: fixture.event, eventId: fixture.eventId });
  });

  it('falls back to the generic event for unknown senders and knows nothing about broken or binary bodies', () => {
    const detect = (prefix: string) => detectProvider(fixtureRequest(all.find((fixture) => fixture.file.startsWith(prefix))!));
    expect(detect('hostile-text')).toEqual({ provider: 'generic', providerName: 'Generic', event: 'user.signup' });
    expect(detect('malformed-json')).toBeUndefined();
    expect(detect('binary-octet-stream')).toBeUndefined();
  });

  it.each(signed.map((fixture) => [fixture.file, fixture] as const))('verifies %s signed by its sender\'s SDK just now, and rejects tampering', (_, fixture) => {
    const rules = scheme[fixture.provider ?? '']!;
    const at = fixture.timestamp!;
    expect(verifyAt(fixture, at, fixture.secret)).toEqual({ status: 'valid' });
    expect(verifyAt(fixture, at, altered(fixture.secret!))).toEqual({ status: 'invalid', reason: rules.wrongSecret });

    const changed = Buffer.from(fixtureRequest(fixture).body);
    const index = changed.length - 2;
    changed[index] = changed[index]! ^ 1;
    expect(verifyAt(fixture, at, fixture.secret, changed)).toEqual(rules.signsBody ? { status: 'invalid', reason: rules.wrongSecret } : { status: 'valid' });

    expect(verifyAt(fixture, at + 301, fixture.secret)).toEqual(rules.replayWindow ? { status: 'invalid', reason: 'stale timestamp (301 s old, tolerance 300 s)' } : { status: 'valid' });
    expect(verifyAt(fixture, at + 299, fixture.secret)).toEqual({ status: 'valid' });
  });

  it.each(signed.map((fixture) => [fixture.file, fixture] as const))('calls %s signed but not verified when no secret is set, and unsigned without its signature', (_, fixture) => {
    expect(verifyAt(fixture, fixture.timestamp!, undefined)).toEqual({ status: 'unverified' });
    const unsignedHeaders = Object.fromEntries(Object.entries(fixture.headers).filter(([name]) => !/signature|hmac|token/i.test(name)));
    expect(verifyAt({ ...fixture, headers: unsignedHeaders }, fixture.timestamp!, undefined)).toEqual({ status: 'unsigned' });
  });

  it('calls a delivery from a sender that signs nothing unsigned, secret or not', () => {
    const hostile = all.find((fixture) => fixture.file.startsWith('hostile-text'))!;
    expect(verifyAt(hostile, 0, 'some-secret')).toEqual({ status: 'unsigned' });
  });
});
