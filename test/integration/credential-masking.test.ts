import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { runWithFakeCurl } from '../helpers/run-with-fake-curl.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const SECRETS = { token: 'tok_live_abcdef123456', apiKey: 'key_abcdef987654', hmac: 'hmacBase64Value+zzzz1234=', auth: 'Bearer sk_live_0123456789ab' };
const QUERY = `token=${SECRETS.token}&api_key=${SECRETS.apiKey}&page=2`;
const HEADERS = { 'X-Shopify-Hmac-Sha256': SECRETS.hmac, authorization: SECRETS.auth, 'x-shopify-topic': 'orders/create' };

const shown = (message: Message) => JSON.stringify(message);

describe('credentials in headers and query strings, masked by one rule in every place', () => {
  const recorder = createRecordingChannel();
  let service: TestService;
  let id: string;
  let target: string;

  beforeAll(async () => {
    service = await startTestService(testConfig(), [recorder.channel]);
    target = `${localUrl(service, await say(service, 'new shop'))}/orders?${QUERY}`;
    ({ id } = (await (await fetch(target, { method: 'POST', headers: HEADERS, body: '{"id":1}' })).json()) as { id: string });
    await recorder.waitFor(1);
  });
  afterAll(() => service.stop());

  it('masks the query in the notification', () => {
    const { message } = recorder.sent[0]!;
    expect(message.fields).toContainEqual({ label: 'Query', value: 'token=••••3456&api_key=••••7654&page=2' });
    for (const secret of Object.values(SECRETS)) expect(shown(message)).not.toContain(secret);
  });

  it('masks X-Shopify-Hmac-Sha256, Authorization and the query in headers', async () => {
    const reply = await say(service, `headers ${id}`);
    expect(reply.code?.content).toContain('POST /wh/…/orders?token=••••3456&api_key=••••7654&page=2');
    expect(reply.code?.content).toContain('X-Shopify-Hmac-Sha256: ••••234=');
    expect(reply.code?.content).toContain('authorization: Bearer ••••89ab');
    expect(reply.code?.content).toContain('x-shopify-topic: orders/create');
    for (const secret of Object.values(SECRETS)) expect(shown(reply)).not.toContain(secret);
  });

  it('leaves credential headers and query values to variables in curl, and replays them exactly', async () => {
    const reply = await say(service, `curl ${id}`);
    expect(reply.lines).toContain('Credentials are not shown in chat: set QUERY_TOKEN, QUERY_API_KEY, HEADER_X_SHOPIFY_HMAC_SHA256, HEADER_AUTHORIZATION first.');
    for (const secret of Object.values(SECRETS)) expect(shown(reply)).not.toContain(secret);
    const variables = { QUERY_TOKEN: SECRETS.token, QUERY_API_KEY: SECRETS.apiKey, HEADER_X_SHOPIFY_HMAC_SHA256: SECRETS.hmac, HEADER_AUTHORIZATION: SECRETS.auth };
    const argv = runWithFakeCurl(reply.code!.content, variables).argv.map(String);
    expect(argv.slice(0, 4)).toEqual(['--globoff', '-X', 'POST', target.replace(service.url, 'https://hooks.example.com')]);
    expect(argv).toEqual(expect.arrayContaining(Object.entries(HEADERS).map(([name, value]) => `${name}: ${value}`)));
  });
});
