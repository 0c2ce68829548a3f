import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { pngHeader } from '../helpers/png-header.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';
import { startSlackFake, type SlackFake, type SlackPost, type SlackResponsePost } from '../fakes/slack-fake.ts';

const CHANNEL = 'C0HOOKS0001';

describe('the Slack app, with the service as its own process', () => {
  let fake: SlackFake;
  let service: SpawnedService;
  let events: string;
  let env: Record<string, string>;

  /** Runs `/hook <text>` and returns what the service posted to the response_url. */
  async function hook(text: string, channelId = CHANNEL): Promise<SlackResponsePost> {
    const sent = await fake.slashCommand(events, { text, channelId });
    expect(sent.status).toBe(200);
    return waitForResponseTo(sent.responseId);
  }

  async function waitForResponseTo(responseId: string): Promise<SlackResponsePost> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const found = fake.responses(responseId)[0];
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no response to ${responseId}`);
  }

  const allText = (value: unknown) => JSON.stringify(value);
  const urlIn = (response: SlackResponsePost) => /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(allText(response))![1]!;
  const buttonId = (post: SlackPost, label: string) => {
    const actions = (post.blocks as Array<{ type: string; elements?: Array<{ action_id: string; text: { text: string } }> }>).find((block) => block.type === 'actions');
    return actions?.elements?.find((element) => element.text.text === label)?.action_id ?? 'missing';
  };

  async function nextPost(action: () => unknown, channel = CHANNEL): Promise<SlackPost> {
    const before = fake.posts(channel).length;
    await action();
    await fake.waitForPosts(before + 1, channel);
    return fake.posts(channel)[before]!;
  }

  beforeAll(async () => {
    fake = await startSlackFake();
    env = { DATABASE_URL: tempDatabaseUrl(), PORT: String(await freePort()), SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: fake.signingSecret, SLACK_API_URL: fake.apiUrl };
    service = await spawnService(env);
    events = `${service.url}/slack/events`;
    await fake.waitForCall('auth.test');
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('creates an endpoint with /hook new, visible to the channel', async () => {
    const reply = await hook('new stripe');
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toBe('Endpoint stripe created');
    expect(urlIn(reply)).toMatch(/\/wh\/[\w-]{22}$/);
  });

  it('posts a delivery as Block Kit with header, fields, code and three buttons; Payload opens a modal', async () => {
    const url = urlIn(await hook('new shop'));
    const fixture = fixtureNamed('shopify');
    const post = await nextPost(() => postFixture(url, fixture));
    expect(post.unfurlLinks).toBe(false);
    expect((post.blocks as Array<{ type: string }>).map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'actions']);
    expect(allText(post.blocks)).toContain('Shopify · orders/create');
    expect(allText(post.blocks)).toContain('Content type*\\napplication/json');
    const pressed = await fake.pressButton(events, { channelId: CHANNEL, messageTs: post.ts, actionId: buttonId(post, 'Payload') });
    expect(pressed.status).toBe(200);
    const opened = await fake.waitForCall('views.open', (call) => call.params.trigger_id === pressed.triggerId);
    expect(opened.response?.ok).toBe(true);
    const view = fake.views().at(-1)!.view as { title: { text: string }; blocks: Array<{ text?: { text: string } }> };
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const code = view.blocks.map((block) => block.text?.text ?? '').filter((text) => text.startsWith('```')).join('');
    expect(code.replaceAll('```', '').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>')).toBe(fixture.body);
  });

  it('uploads a body too large for a modal as a file and links it', async () => {
    const url = urlIn(await hook('new huge'));
    const body = JSON.stringify({ rows: Array.from({ length: 6000 }, (_, i) => ({ i, text: 'lorem ipsum dolor sit amet' })) });
    const post = await nextPost(() => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    await fake.pressButton(events, { channelId: CHANNEL, messageTs: post.ts, actionId: buttonId(post, 'Payload') });
    await fake.waitForCall('files.completeUploadExternal');
    const file = fake.files().at(-1)!;
    expect(file.filename).toMatch(/^payload-[0-9a-z]{16}\.json$/);
    expect(file.bytes.toString()).toBe(body);
    await fake.waitForCall('views.open', (call) => JSON.stringify(call.params.view).includes(file.filename));
  });

  it('answers stats with the figures to the caller and uploads the chart to the channel', async () => {
    const url = urlIn(await hook('new charted'));
    await nextPost(() => postFixture(url, fixtureNamed('shopify')));
    const reply = await hook('stats charted');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('Stats (charted, last 24h)');
    expect(allText(reply.blocks)).toContain('orders/create');
    await fake.waitForCall('files.completeUploadExternal', (call) => allText(call.params).includes('Stats (charted, last 24h)'));
    const file = fake.files().at(-1)!;
    expect(file.filename).toBe('stats-24h.png');
    expect(pngHeader(file.bytes)).toEqual({ width: 900, height: 450 });
  });

  it('lets no payload mention anyone or break the markup', async () => {
    const url = urlIn(await hook('new hostile'));
    const post = await nextPost(() => postFixture(url, fixtureNamed('hostile-text')));
    expect(fake.mentionsIn(post)).toEqual([]);
    expect(allText(post.blocks)).toContain('&lt;!channel&gt;');
    expect(fake.calls.filter((call) => call.response?.ok === false)).toEqual([]);
  });

  it('answers mistakes and a button whose delivery is gone only to the caller', async () => {
    const unknown = await hook('lsit');
    expect(unknown).toMatchObject({ response_type: 'ephemeral', text: 'Unknown command &quot;lsit&quot;.'.replaceAll('&quot;', '"') });
    const url = urlIn(await hook('new doomed'));
    const post = await nextPost(() => fetch(url, { method: 'POST', body: 'bye' }));
    await hook('delete doomed confirm');
    const pressed = await fake.pressButton(events, { channelId: CHANNEL, messageTs: post.ts, actionId: buttonId(post, 'Headers') });
    const answer = await waitForResponseTo(pressed.responseId);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^No delivery /);
  });

  it('refuses a wrong signature, a stale timestamp and a malformed payload, executing nothing', async () => {
    const form = new URLSearchParams({ command: '/hook', text: 'new sneaky', channel_id: CHANNEL, user_id: 'U1', response_url: `${fake.baseUrl}/response/x`, trigger_id: 't' }).toString();
    expect((await fake.signedRequest(events, form, undefined, { secret: 'wrong' })).status).toBe(401);
    expect((await fake.signedRequest(events, form, undefined, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    const malformed = await fake.signedRequest(events, 'payload=%7Bnot-json');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/at \w+ \(/);
    expect(JSON.stringify(await hook('list'))).not.toContain('sneaky');
  });

  it('retries after a 429 and keeps to one message a second per channel', async () => {
    const channel = 'C0BURST0001';
    const url = urlIn(await hook('new burst', channel));
    fake.inject429(1, 1);
    await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(url, { method: 'POST', body: JSON.stringify({ type: i % 2 ? 'a.b' : 'c.d' }) })));
    const covered = () => fake.posts(channel).reduce((sum, post) => sum + Number(/^(\d+) deliveries in/.exec(post.text ?? '')?.[1] ?? 1), 0);
    await expect.poll(covered, { timeout: 10_000 }).toBe(12);
    const times = fake.posts(channel).map((post) => post.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
    // The Web API client hands the 429 back (rejectRateLimitedCalls) and the dispatcher waits its Retry-After.
    expect(service.stderr()).toContain('"msg":"notification failed; will retry"');
    expect(service.stderr()).toContain('Slack rate limit');
  });

  it('serves the payload byte-exact after a restart from a button on an old message', async () => {
    const url = urlIn(await hook('new durable'));
    const fixture = fixtureNamed('github');
    const post = await nextPost(() => postFixture(url, fixture));
    expect(await service.stop('SIGTERM')).toBe(0);
    service = await spawnService(env);
    const pressed = await fake.pressButton(events, { channelId: CHANNEL, messageTs: post.ts, actionId: buttonId(post, 'Payload') });
    await fake.waitForCall('views.open', (call) => call.params.trigger_id === pressed.triggerId);
    const view = fake.views().at(-1)!.view as { blocks: Array<{ text?: { text: string } }> };
    const code = view.blocks.map((block) => block.text?.text ?? '').filter((text) => text.startsWith('```')).join('');
    expect(code.replaceAll('```', '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')).toBe(fixtureBytes(fixture).toString());
  });
});

describe('the Slack app with allowed channels', () => {
  let fake: SlackFake;
  let service: SpawnedService;

  beforeAll(async () => {
    fake = await startSlackFake();
    service = await spawnService({ DATABASE_URL: tempDatabaseUrl(), SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: fake.signingSecret, SLACK_API_URL: fake.apiUrl, SLACK_ALLOWED_CHATS: CHANNEL });
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('tells another channel its id, privately, and does nothing else', async () => {
    const sent = await fake.slashCommand(`${service.url}/slack/events`, { text: 'new stripe', channelId: 'C0OTHER0001' });
    const [answer] = (await fake.waitForResponse(1)).filter((response) => response.responseId === sent.responseId);
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: 'This channel may not use hookwatch. Its id is C0OTHER0001: the operator can add it to SLACK_ALLOWED_CHATS.' });
    const allowed = await fake.slashCommand(`${service.url}/slack/events`, { text: 'list', channelId: CHANNEL });
    const [listed] = (await fake.waitForResponse(2)).filter((response) => response.responseId === allowed.responseId);
    expect(listed?.text).toBe('No endpoints yet');
  });
});

describe('the Slack app in Socket Mode', () => {
  let fake: SlackFake;
  let service: SpawnedService;

  beforeAll(async () => {
    fake = await startSlackFake();
    service = await spawnService({ DATABASE_URL: tempDatabaseUrl(), SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: fake.signingSecret, SLACK_API_URL: fake.apiUrl, SLACK_APP_TOKEN: fake.appToken });
    const deadline = Date.now() + 10_000;
    while (fake.socket.connected === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('takes /hook over the socket, acknowledges it, and notifies deliveries', async () => {
    const { responseId } = await fake.socketSlashCommand({ text: 'new socket', channelId: CHANNEL });
    const [reply] = (await fake.waitForResponse(1)).filter((response) => response.responseId === responseId);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(JSON.stringify(reply))![1]!;
    await fetch(url, { method: 'POST', body: 'over the socket' });
    await fake.waitForPosts(1, CHANNEL);
    expect(JSON.stringify(fake.posts(CHANNEL)[0]?.blocks)).toContain('over the socket');
    expect((await fetch(`${service.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
