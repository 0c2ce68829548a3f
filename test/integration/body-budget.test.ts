import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUpload, type Upload } from '../helpers/raw-http.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

/** Room for two bodies of the largest size. */
const MAX_BODY = 1000;
const BUDGET = 2000;

describe('bytes of bodies in flight', () => {
  let service: TestService;
  let url: string;
  const post = (bytes: number) => fetch(url, { method: 'POST', body: 'x'.repeat(bytes) });
  const stored = async () => (await say(service, 'show budget')).fields?.find((field) => field.label === 'Stored deliveries')?.value;
  /** Uploads the server has taken in: their bytes are reserved once it answered 100 Continue. */
  async function inFlight(...uploads: Upload[]): Promise<Upload[]> {
    await Promise.all(uploads.map((upload) => upload.accepted));
    return uploads;
  }

  beforeEach(async () => {
    // A stopped clock keeps the endpoint in the token cache, so a request is taken in without waiting on the store.
    const now = Date.now();
    service = await startTestService(testConfig({ MAX_BODY_BYTES: String(MAX_BODY), MAX_INFLIGHT_BODY_BYTES: String(BUDGET) }), [createRecordingChannel().channel], { now: () => now });
    url = localUrl(service, await say(service, 'new budget'));
  });
  afterEach(() => service.stop());

  it('answers 503 with Retry-After and a reason while bodies in flight hold the budget, and stores again once they are in', async () => {
    const uploads = await inFlight(startUpload(url, 'a'.repeat(10), MAX_BODY), startUpload(url, 'b'.repeat(10), MAX_BODY));
    const busy = await post(10);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(await busy.json()).toEqual({ ok: false, error: 'too many request bodies in flight; retry in 2 s' });
    expect(await stored()).toMatch(/^0 /);

    expect(await Promise.all(uploads.map((upload) => upload.finish('z'.repeat(MAX_BODY - 10))))).toEqual([200, 200]);
    expect((await post(MAX_BODY)).status).toBe(200);
    expect(await stored()).toMatch(/^3 /);
  });

  it('refuses a chunked body once its chunks outgrow the budget left', async () => {
    const held = await inFlight(startUpload(url, 'a'.repeat(10), MAX_BODY), startUpload(url, 'b'.repeat(10), BUDGET - MAX_BODY - 50));
    const [chunked] = await inFlight(startUpload(url, 'c'.repeat(30)));
    expect(await chunked!.finish('d'.repeat(100))).toBe(503);
    for (const upload of held) upload.abort();
  });

  it('gives the budget back when senders abort their uploads', async () => {
    for (let round = 0; round < 3; round++) {
      const uploads = await inFlight(startUpload(url, 'a'.repeat(10), MAX_BODY), startUpload(url, 'b'.repeat(MAX_BODY - 10)));
      expect((await post(MAX_BODY)).status).toBe(503);
      for (const upload of uploads) upload.abort();
      await expect.poll(async () => (await post(MAX_BODY)).status, { timeout: 5000 }).toBe(200);
    }
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
