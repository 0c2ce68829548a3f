import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, validateBlocks, type SlackFake } from './slack-fake.ts';

const { WebClient, ErrorCode } = webApi;
type WebClient = InstanceType<typeof WebClient>;

/** web-api logs every `[ERROR]` response message; these tests provoke them on purpose. */
const quiet: webApi.Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  setLevel: () => {}, getLevel: () => webApi.LogLevel.ERROR, setName: () => {},
};
const clientFor = (fake: SlackFake, token = fake.token, options: webApi.WebClientOptions = {}) =>
  new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet, ...options });

const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const section = (text: string, type = 'mrkdwn') => ({ type: 'section', text: { type, text } });

/** The platform error code (and messages) a Web API call fails with; fails the test if it succeeds. */
async function slackError(call: Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: ErrorCode.PlatformError });
  const data = (error as { data: { error: string; response_metadata?: { messages?: string[] } } }).data;
  return { error: data.error, messages: data.response_metadata?.messages ?? [] };
}

let fake: SlackFake;
let client: WebClient;

beforeAll(async () => {
  fake = await startSlackFake();
  client = clientFor(fake);
});

afterAll(async () => {
  expect(fake.internalErrors).toEqual([]);
  await fake.stop();
});

describe('@slack/web-api against the Slack fake', () => {
  it('answers auth.test; a wrong token is invalid_auth, an unknown method unknown_method', async () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: 'T0FAKETEAM1', user_id: 'U0FAKEBOT01', bot_id: 'B0FAKEBOT01' });
    expect(auth.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);

    const wrong = clientFor(fake, 'xoxb-wrong');
    expect((await slackError(wrong.auth.test())).error).toBe('invalid_auth');
    expect((await slackError(client.apiCall('chat.frobnicate'))).error).toBe('unknown_method');
    const call = fake.calls.find((c) => c.method === 'auth.test');
    expect(call).toMatchObject({ token: fake.token, contentType: 'application/x-www-form-urlencoded', status: 200 });
  });

  it('records chat.postMessage with parsed blocks and flags, answering an increasing ts per channel', async () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'POST /hooks/github' } },
      section('*200* in 12 ms'),
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Replay' }, action_id: 'replay', value: 'req-1' }] },
    ];
    const first = await client.chat.postMessage({
      channel: 'C0POSTS0001', text: 'POST /hooks/github', blocks, unfurl_links: false, unfurl_media: false,
    });
    const second = await client.chat.postMessage({ channel: 'C0POSTS0001', text: 'reply', thread_ts: first.ts });
    expect(first).toMatchObject({ ok: true, channel: 'C0POSTS0001', message: { text: 'POST /hooks/github', bot_id: 'B0FAKEBOT01' } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message?.blocks?.every((b) => typeof b.block_id === 'string')).toBe(true);

    const [post, reply] = fake.posts('C0POSTS0001');
    expect(post).toMatchObject({ text: 'POST /hooks/github', blocks, unfurlLinks: false, unfurlMedia: false, linkNames: undefined });
    expect(reply).toMatchObject({ threadTs: first.ts });
    expect(fake.message('C0POSTS0001', first.ts as string)?.blocks).toHaveLength(3);
  });

  it('updates a stored message (omitted blocks are kept) and records ephemerals', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0UPDATE001', text: 'v1', blocks: [section('one')] });
    const updated = await client.chat.update({ channel: 'C0UPDATE001', ts: posted.ts as string, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'v2', message: { text: 'v2', blocks: [{ text: { text: 'one' } }] } });
    expect(fake.updates('C0UPDATE001')).toHaveLength(1);
    expect((await slackError(client.chat.update({ channel: 'C0UPDATE001', ts: '1.000001', text: 'x' }))).error).toBe('message_not_found');
    const ephemeral = await client.chat.postEphemeral({ channel: 'C0UPDATE001', user: 'U0ALICE0001', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals('C0UPDATE001')).toEqual([expect.objectContaining({ user: 'U0ALICE0001', text: 'only you' })]);
    expect(fake.posts('C0UPDATE001')).toHaveLength(1);
  });

  it('rejects what Slack rejects: 51 blocks, long section text, no text, text over 40,000', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    const many = await slackError(client.chat.postMessage({ channel: 'C0REJECT001', text: 'x', blocks: tooMany }));
    expect(many).toEqual({
      error: 'invalid_blocks',
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
    const long = await slackError(client.chat.postMessage({ channel: 'C0REJECT001', text: 'x', blocks: [section('a'.repeat(3001))] }));
    expect(long.messages).toEqual(['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    const bad = await slackError(
      client.apiCall('chat.postMessage', {
        channel: 'C0REJECT001', text: 'x', blocks: [{ type: 'carousel' }, { type: 'header', text: { type: 'mrkdwn', text: 'h' } }],
      }),
    );
    expect(bad.messages).toEqual([
      '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]',
      '[ERROR] must be a valid enum value [json-pointer:/blocks/1/text/type]',
    ]);
    expect((await slackError(client.chat.postMessage({ channel: 'C0REJECT001', text: '' }))).error).toBe('no_text');
    expect((await slackError(client.chat.postMessage({ channel: 'C0REJECT001', text: 'a'.repeat(40_001) }))).error).toBe('msg_too_long');
    expect(fake.posts('C0REJECT001')).toEqual([]);
    expect(fake.postTimesOf('C0REJECT001')).toHaveLength(5);
    expect(fake.maxPerChannelPerSecond()).toBeGreaterThanOrEqual(5);
  });

  it('checks the documented Block Kit limits, each with its json-pointer', () => {
    const button = (extra: Record<string, unknown>) => ({ type: 'button', text: { type: 'plain_text', text: 'ok' }, action_id: 'a', ...extra });
    const field = { type: 'mrkdwn', text: 'f' };
    const cases: Array<[unknown, string]> = [
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }, 'must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
      [{ type: 'section', fields: Array(11).fill(field) }, 'no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
      [{ type: 'section', fields: [field, { type: 'mrkdwn', text: 'f'.repeat(2001) }] }, 'must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]'],
      [{ type: 'actions', elements: [button({ text: { type: 'plain_text', text: 'b'.repeat(76) } })] }, 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
      [{ type: 'actions', elements: [button({ value: 'v'.repeat(2001) })] }, 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
      [{ type: 'actions', elements: [button({ action_id: 'a'.repeat(256) })] }, 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
      [{ type: 'actions', elements: Array(26).fill(button({})) }, 'no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
      [{ type: 'divider', block_id: 'b'.repeat(256) }, 'must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
      [{ type: 'section', accessory: button({ text: { type: 'mrkdwn', text: 'x' } }), text: field }, 'must be a valid enum value [json-pointer:/blocks/0/accessory/text/type]'],
    ];
    for (const [block, message] of cases) expect(validateBlocks([block])).toEqual([`[ERROR] ${message}`]);
    expect(validateBlocks([{ type: 'divider' }, section('fine'), { type: 'actions', elements: Array(25).fill(button({})) }])).toEqual([]);
  });

  it('speaks plain HTTP too: JSON bodies, not_authed, raw uploads, response_url errors', async () => {
    const post = (path: string, body: string, headers: Record<string, string>) =>
      fetch(`${fake.baseUrl}${path}`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.token}` };
    const sent = await post('/api/chat.postMessage', JSON.stringify({ channel: 'C0RAWHTTP01', text: 'hi', blocks: [section('b')] }), json);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ ok: true, channel: 'C0RAWHTTP01' });
    expect(fake.posts('C0RAWHTTP01')[0]?.blocks).toEqual([section('b')]);
    const anonymous = await post('/api/auth.test', '', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([anonymous.status, await anonymous.json()]).toEqual([200, { ok: false, error: 'not_authed' }]);

    const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({ filename: 'raw.txt', length: 5 });
    const uploaded = await fetch(uploadUrl as string, { method: 'POST', body: 'hello' });
    expect([uploaded.status, await uploaded.text()]).toEqual([200, 'OK - 5']);
    await client.files.completeUploadExternal({ files: [{ id: fileId as string }], channel_id: 'C0RAWHTTP01' });
    expect(fake.files().find((f) => f.id === fileId)).toMatchObject({ title: 'raw.txt', uploadedAs: 'raw', bytes: Buffer.from('hello') });
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).error).toBe('file_not_found');

    expect((await post('/response/nope', '{}', { 'content-type': 'application/json' })).status).toBe(404);
    const { responseUrl } = fake.issueResponseUrl();
    expect((await fetch(responseUrl, { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('answers an injected 429 with Retry-After; the client pauses and retries', async () => {
    const retrying = clientFor(fake, fake.token, {
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 },
    });
    const limited: number[] = [];
    retrying.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
    fake.inject429(1, 1);
    const started = Date.now();
    const result = await retrying.chat.postMessage({ channel: 'C0LIMITED01', text: 'after a pause' });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(limited).toEqual([1]);
    const statuses = fake.calls.filter((c) => c.params.channel === 'C0LIMITED01').map((c) => c.status);
    expect(statuses).toEqual([429, 200]);
    expect(fake.posts('C0LIMITED01')).toHaveLength(1);
    const [t0, t1] = fake.postTimesOf('C0LIMITED01');
    expect((t1 as number) - (t0 as number)).toBeGreaterThanOrEqual(1000);
  });

  it('delays answers on demand', async () => {
    fake.setDelay(150);
    const started = Date.now();
    await client.chat.postMessage({ channel: 'C0SLOWSLOW1', text: 'slow' });
    fake.setDelay(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('opens a modal with a fresh trigger_id only; checks the view like Slack', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'payload_view',
      private_metadata: 'req-42',
      title: { type: 'plain_text' as const, text: 'Payload' },
      close: { type: 'plain_text' as const, text: 'Close' },
      blocks: [section('```{"a":1}```')],
    };
    const fresh = fake.issueTriggerId();
    const opened = await client.views.open({ trigger_id: fresh, view });
    expect(opened.view).toMatchObject({ type: 'modal', private_metadata: 'req-42', callback_id: 'payload_view' });
    expect(fake.views()).toEqual([expect.objectContaining({ triggerId: fresh, view })]);

    expect((await slackError(client.views.open({ trigger_id: fresh, view }))).error).toBe('exchanged_trigger_id');
    const expired = fake.issueTriggerId(3500);
    expect((await slackError(client.views.open({ trigger_id: expired, view }))).error).toBe('expired_trigger_id');
    const longTitle = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    const invalid = await slackError(client.views.open({ trigger_id: fake.issueTriggerId(), view: longTitle }));
    expect(invalid).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    });
  });

  it('takes files.uploadV2 (three steps) with 100 KB arriving byte-exact', async () => {
    const bytes = randomBytes(100 * 1024);
    const result = await client.files.uploadV2({
      channel_id: 'C0FILES0001', file: bytes, filename: 'payload-42.bin', title: 'payload', initial_comment: 'full payload',
    });
    expect(result.ok).toBe(true);
    const file = fake.files().find((f) => f.channel === 'C0FILES0001');
    expect(file).toMatchObject({
      filename: 'payload-42.bin', title: 'payload', channel: 'C0FILES0001', initialComment: 'full payload',
      declaredLength: bytes.length, uploadedAs: 'multipart',
    });
    expect(Buffer.compare(file?.bytes ?? Buffer.alloc(0), bytes)).toBe(0);
    const steps = fake.calls.filter((c) => c.params.filename === 'payload-42.bin' || c.params.channel_id === 'C0FILES0001');
    expect(steps.map((c) => [c.method, c.status])).toEqual([
      ['files.getUploadURLExternal', 200],
      ['files.completeUploadExternal', 200],
    ]);
    expect(steps[0]?.params).toMatchObject({ filename: 'payload-42.bin', length: String(bytes.length) });
    expect(steps[1]?.params.files).toEqual([{ id: file?.id, title: 'payload' }]);
  });

  it('mentionsIn flags what Slack renders in mrkdwn, not in plain_text, and link_names', async () => {
    const hostile = '<!channel> ping <@U0ADMIN01> <https://evil.example|click>';
    await client.chat.postMessage({ channel: 'C0MENTION01', text: 'x', blocks: [section(hostile)] });
    await client.chat.postMessage({
      channel: 'C0MENTION01', text: escapeMrkdwn(hostile),
      blocks: [section(hostile, 'plain_text'), section(escapeMrkdwn(hostile)), { type: 'header', text: { type: 'plain_text', text: hostile } }],
    });
    await client.chat.postMessage({ channel: 'C0MENTION01', text: 'hi @channel', link_names: true });
    const [unsafe, safe, linkNames] = fake.posts('C0MENTION01');
    expect(fake.mentionsIn(unsafe ?? {})).toEqual(['<!channel>', '<@U0ADMIN01>', '<https://evil.example|click>']);
    expect(fake.mentionsIn(safe ?? {})).toEqual([]);
    expect(fake.mentionsIn(linkNames ?? {})).toEqual(['link_names=true']);
    expect(fake.mentionsIn({ text: 'a <!here|here> b', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: '<!subteam^S0OPS|@ops>' }] }] }))
      .toEqual(['<!here|here>', '<!subteam^S0OPS|@ops>']);
  });
});

describe('signed requests, verified by Bolt itself (ExpressReceiver)', () => {
  let server: Server;
  let serviceUrl: string;
  const pressed: Array<{ body: unknown; action: unknown }> = [];

  beforeAll(async () => {
    const receiver = new ExpressReceiver({ signingSecret: fake.signingSecret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
    const bolt = new App({
      receiver, token: fake.token, botId: fake.botId, botUserId: fake.botUserId, logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    bolt.command('/hook', async ({ command, ack, respond, client: boltClient }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `last for ${command.text}` });
      await boltClient.views.open({
        trigger_id: command.trigger_id,
        view: { type: 'modal', title: { type: 'plain_text', text: 'Payload' }, blocks: [section('`{}`')] },
      });
      await boltClient.chat.postMessage({
        channel: command.channel_id, text: 'approve?',
        blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'req-7' }] }],
      });
    });
    bolt.action('approve', async ({ ack, body, action, respond }) => {
      await ack();
      pressed.push({ body, action });
      await respond({ replace_original: true, text: 'approved' });
    });
    server = createServer(receiver.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a slash command Bolt accepts; respond() and the Web API reach the fake', async () => {
    const delivery = await fake.slashCommand(serviceUrl, { command: '/hook', text: 'github', channelId: 'C0BOLT00001' });
    expect(delivery.status).toBe(200);
    const [response] = await fake.waitForResponse(1);
    expect(response).toMatchObject({ responseId: delivery.responseId, response_type: 'ephemeral', text: 'last for github' });
    const opened = await fake.waitForCall('views.open', (c) => c.params.trigger_id === delivery.triggerId);
    expect(opened.response).toMatchObject({ ok: true, view: { type: 'modal' } });
    const [post] = await fake.waitForPosts(1, 'C0BOLT00001');

    const press = await fake.pressButton(serviceUrl, { channelId: 'C0BOLT00001', userId: 'U0ALICE0001', messageTs: post?.ts ?? '', actionId: 'approve' });
    expect(press.status).toBe(200);
    await fake.waitForResponse(2);
    expect(fake.responses(press.responseId)).toEqual([expect.objectContaining({ replace_original: true, text: 'approved' })]);
    expect(pressed[0]?.action).toMatchObject({ action_id: 'approve', value: 'req-7', type: 'button', text: { text: 'Approve' } });
    expect(pressed[0]?.body).toMatchObject({
      type: 'block_actions', user: { id: 'U0ALICE0001' }, trigger_id: press.triggerId, enterprise: null,
      container: { type: 'message', message_ts: post?.ts, channel_id: 'C0BOLT00001' }, message: { ts: post?.ts },
    });
  });

  it('is rejected by Bolt with 401 for a wrong signature or a 301 s old timestamp', async () => {
    const body = new URLSearchParams({ command: '/hook', text: 'x' }).toString();
    expect((await fake.signedRequest(serviceUrl, body, undefined, { secret: 'not-the-secret' })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 301;
    expect((await fake.signedRequest(serviceUrl, body, undefined, { timestamp: old })).status).toBe(401);
    const challenge = await fake.signedRequest(serviceUrl, JSON.stringify({ type: 'url_verification', challenge: 'abc123' }), 'application/json');
    expect(await challenge.json()).toEqual({ challenge: 'abc123' });
  });
});
