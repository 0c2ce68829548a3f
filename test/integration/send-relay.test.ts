import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendRelay, type RelayAnswer } from '../../src/forward/send-relay.ts';
import { createOutboundAgent } from '../../src/outbound/create-outbound-agent.ts';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { freePort } from '../helpers/spawn-service.ts';

const TIMEOUT_MS = 300;
const body = Buffer.from('{"id":"evt_1"}');

describe('one relay try', () => {
  let target: RelayTarget;
  const agent = createOutboundAgent({ allowPrivate: true, connectionsPerOrigin: 8 });

  beforeEach(async () => {
    target = await startRelayTarget();
  });
  afterEach(() => target.close());
  afterAll(() => agent.close());

  const send = (url: string, keepBodyBytes?: number, through = agent): Promise<RelayAnswer> =>
    sendRelay({ url, method: 'POST', headers: ['Content-Type', 'application/json', 'X-Hookwatch-Delivery', 'd1'], body }, { agent: through, timeoutMs: TIMEOUT_MS, now: Date.now, ...(keepBodyBytes === undefined ? {} : { keepBodyBytes }) });

  it('sends the method, path, query, headers and body, and gives the status, headers and Retry-After of the answer', async () => {
    target.answerWith(() => ({ status: 503, headers: { 'Retry-After': '7', 'X-Served-By': 'app-2' }, body: 'busy' }));

    const answer = await send(`${target.url}/hooks/stripe?k=v`);

    expect(answer).toMatchObject({ kind: 'answered', status: 503, excerpt: 'busy', retryAfterMs: 7000 });
    expect(answer.kind === 'answered' && answer.headers).toEqual(expect.arrayContaining([['retry-after', '7'], ['x-served-by', 'app-2']]));
    const [received] = target.received;
    expect(received).toMatchObject({ method: 'POST', url: '/hooks/stripe?k=v', body });
    expect(received!.rawHeaders).toEqual(expect.arrayContaining([['Content-Type', 'application/json'], ['X-Hookwatch-Delivery', 'd1']]));
  });

  it('keeps the first 500 bytes of a longer answer for attempts, and the answer still counts', async () => {
    target.answerWith(() => ({ status: 200, body: 'a'.repeat(400) + 'é'.repeat(5000) }));

    const answer = await send(target.url);

    expect(answer.kind).toBe('answered');
    expect(answer.kind === 'answered' && Buffer.byteLength(answer.excerpt)).toBeLessThanOrEqual(500);
    expect(answer.kind === 'answered' && answer.excerpt.startsWith('a'.repeat(400) + 'é'.repeat(49))).toBe(true);
  });

  it('keeps the whole answer of a sync relay, and fails one larger than it may hold', async () => {
    target.answerWith(() => ({ status: 201, body: 'x'.repeat(2000) }));

    const kept = await send(target.url, 2000);
    const tooLarge = await send(target.url, 1999);

    expect(kept.kind === 'answered' && kept.body?.toString()).toBe('x'.repeat(2000));
    expect(tooLarge).toMatchObject({ kind: 'failed', error: 'answer larger than 1999 bytes', blocked: false });
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    target.answerWith(() => ({ status: 302, headers: { Location: `${target.url}/elsewhere` } }));

    expect(await send(target.url)).toMatchObject({ kind: 'answered', status: 302 });
    expect(target.received).toHaveLength(1);
  });

  it('gives up on a target that does not answer at the try\'s timeout, and says so', async () => {
    target.answerWith(() => new Promise(() => undefined));

    expect(await send(target.url)).toMatchObject({ kind: 'failed', error: `timed out after ${TIMEOUT_MS} ms`, blocked: false });
  });

  it('tells a refused connection, and a private address refused by the guarded agent, apart', async () => {
    const guarded = createOutboundAgent({ allowPrivate: false });

    const refused = await send(`http://127.0.0.1:${await freePort()}`);
    const blocked = await send(target.url, undefined, guarded);
    await guarded.close();

    expect(refused).toMatchObject({ kind: 'failed', error: 'connection refused', blocked: false });
    expect(blocked).toMatchObject({ kind: 'failed', blocked: true });
    expect(blocked.kind === 'failed' && blocked.error).toMatch(/^refused: 127\.0\.0\.1 is a private/);
    expect(target.received).toHaveLength(0);
  });
});
