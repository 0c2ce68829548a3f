import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureNamed, fixtures, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

describe('receiver', () => {
  let service: TestService;
  let url: string;
  let recorder: ReturnType<typeof createRecordingChannel>;

  beforeEach(async () => {
    recorder = createRecordingChannel();
    service = await startTestService(testConfig({ MAX_BODY_BYTES: '65536' }), [recorder.channel]);
    url = localUrl(service, await say(service, 'new stripe'));
  });
  afterEach(() => service.stop());

  it('answers 200 with the delivery id once the delivery is stored', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ok: boolean; id: string };
    expect(answer).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-z]{16}$/) });
    const last = await say(service, 'last stripe 1');
    expect(last.lines?.[0]).toContain(answer.id);
  });

  it('captures method, sub-path, raw query and headers as received', async () => {
    const response = await fetch(`${url}/events/v2?b=2&a=%20x&a=y`, { method: 'PATCH', headers: { 'X-Custom-Thing': 'One', 'x-dup': 'a' } });
    const { id } = (await response.json()) as { id: string };
    const headers = await say(service, `headers ${id}`);
    expect(headers.code?.content).toMatch(/^PATCH \/wh\/…\/events\/v2\?b=2&a=%20x&a=y\n/);
    expect(headers.code?.content).toContain('X-Custom-Thing: One');
    expect(headers.fields?.find((field) => field.label === 'From')?.value).toMatch(/127\.0\.0\.1/);
  });

  it('answers 404 without a hint for an unknown token', async () => {
    const response = await fetch(`${service.url}/wh/not-a-token`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not Found');
  });

  it('answers 413 and counts it on the endpoint when the body is too large', async () => {
    const declared = await fetch(url, { method: 'POST', body: 'x'.repeat(65_537) });
    expect(declared.status).toBe(413);
    const streamed = await sendChunked(url, ['x'.repeat(40_000), 'y'.repeat(40_000)]);
    expect(streamed).toBe(413);
    await expect.poll(async () => (await say(service, 'show stripe')).fields?.find((f) => f.label === 'Rejected as too large')?.value).toBe('2');
    expect((await say(service, 'last stripe')).title).toBe('No deliveries yet (stripe)');
  });

  it('stores a gzip body decoded and says so, and refuses one that inflates past the limit', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const response = await fetch(url, { method: 'POST', headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' }, body: new Uint8Array(gzipSync(body)) });
    const { id } = (await response.json()) as { id: string };
    const payload = await say(service, `payload ${id}`);
    expect(payload.attachment?.bytes.toString()).toBe(body);
    expect((await say(service, `headers ${id}`)).fields).toContainEqual({ label: 'Body', value: 'arrived gzip-encoded, stored decoded' });
    const bomb = await fetch(url, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(Buffer.alloc(200_000))) });
    expect(bomb.status).toBe(413);
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))('round-trips %s byte-exact through payload', async (_name, fixture) => {
    const response = await postFixture(url, fixture);
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    const payload = await say(service, `payload ${id.slice(0, 14)}`);
    expect(payload.attachment?.bytes.equals(fixtureBytes(fixture))).toBe(true);
    if (payload.code) expect(Buffer.from(payload.code.content).equals(fixtureBytes(fixture))).toBe(true);
  });

  it('stores and indexes 200 concurrent deliveries to one endpoint', async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(url, { method: 'POST', body: JSON.stringify({ i }) })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as { id: string }).id));
    expect(new Set(ids).size).toBe(200);
    const show = await say(service, 'show stripe');
    expect(show.fields?.find((field) => field.label === 'Stored deliveries')?.value).toMatch(/^200 /);
    const last = await say(service, 'last stripe 50');
    expect(last.lines?.map((line) => line.split(' · ')[0])).toEqual([...ids].sort().reverse().slice(0, 50));
    await recorder.waitFor(200);
  });

  it('keeps answering any bytes in path, query, headers and body', async () => {
    const hostile = fixtureNamed('hostile-text');
    for (let i = 0; i < 20; i++) {
      const random = new Uint8Array(Array.from({ length: 64 + i * 13 }, () => Math.floor(Math.random() * 256)));
      expect((await fetch(`${url}/%ff%00/${i}?%zz=%%&x=\u00e9`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: random })).status).toBe(200);
    }
    expect((await postFixture(url, hostile)).status).toBe(200);
    expect((await fetch(`${service.url}/wh/%E0%A4%A`, { method: 'POST' })).status).toBeLessThan(500);
    expect((await fetch(url, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: 'not gzip' })).status).toBe(200);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});

/** A body without Content-Length, so the limit has to be found while reading. */
function sendChunked(url: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('source address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY says to believe it', async () => {
    for (const [trust, expected] of [[undefined, /127\.0\.0\.1/], ['true', /^203\.0\.113\.9$/]] as const) {
      const service = await startTestService(testConfig(trust ? { TRUST_PROXY: trust } : {}), [createRecordingChannel().channel]);
      const url = localUrl(service, await say(service, 'new proxied'));
      const { id } = (await (await fetch(url, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9' }, body: 'x' })).json()) as { id: string };
      expect((await say(service, `headers ${id}`)).fields?.find((field) => field.label === 'From')?.value).toMatch(expected);
      await service.stop();
    }
  });
});
