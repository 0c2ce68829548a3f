import { startSlackFake, type SlackFake, type SlackPost } from '../test/fakes/slack-fake.ts';
import { endpointUrlIn, pollFor, type LatencyPlatform, type Notice, type Payload } from './latency-rig.ts';

function noticeOf(post: SlackPost): Notice {
  // The delivery id may be in the fallback text or only in the blocks: both are searched.
  return { chat: post.channel, text: `${post.text ?? ''}\n${JSON.stringify(post.blocks ?? [])}`, at: post.at, payload: post.params };
}

/** Web API arguments form-encoded as @slack/web-api sends them: objects (blocks) as JSON strings. */
function formOf(payload: Payload): URLSearchParams {
  const fields = Object.entries(payload).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
  return new URLSearchParams(fields);
}

/**
 * Slack for the notification latency scenario (latency-scenario.ts): the Web API fake with hookwatch's
 * Bolt app on HTTP (not Socket Mode), every channel allowed.
 */
export const slackLatency: LatencyPlatform<SlackFake> = {
  text: { name: 'Slack', api: 'Web API', method: 'chat.postMessage', chatKind: 'channel' },
  chatId: (n) => `C0BENCH${String(n).padStart(4, '0')}`,
  // Bolt's app.init() begins with auth.test.
  waitReady: (fake, timeoutMs) => fake.waitForCall('auth.test', undefined, timeoutMs),
  startFake: () => startSlackFake(),

  env(fake) {
    return { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: fake.signingSecret, SLACK_API_URL: fake.apiUrl };
  },

  /** `/hook new bench` in a channel; the webhook URL is read from the reply POSTed to its response_url. */
  async newEndpoint(fake, chat, baseUrl) {
    const command = await fake.slashCommand(`${baseUrl}/slack/events`, { text: 'new bench', channelId: chat });
    if (command.status !== 200) throw new Error(`/hook new in ${chat} answered ${command.status}: ${command.body}`);
    const reply = await pollFor(() => fake.responses(command.responseId)[0], 10_000, `reply to /hook new in ${chat}`);
    return endpointUrlIn(JSON.stringify(reply), `in channel ${chat}`);
  },

  notices(fake) {
    return fake.posts().map(noticeOf);
  },

  /** chat.postMessage as @slack/web-api sends it: a form with the token as a bearer header. */
  async postDirect(fake, chat, payload) {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${fake.token}` },
      body: formOf({ ...payload, channel: chat }),
    });
    // Slack reports errors in the body, with HTTP 200.
    const body = (await res.json()) as { ok?: unknown; error?: unknown };
    if (!res.ok || body.ok !== true) throw new Error(`direct chat.postMessage answered ${res.status}: ${JSON.stringify(body)}`);
  },
};
