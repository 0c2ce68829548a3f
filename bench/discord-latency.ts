import { startDiscordFake, type DiscordCall, type DiscordFake } from '../test/fakes/discord-fake.ts';
import { isObject } from '../test/fakes/discord-types.ts';
import { CHAT_COUNT, endpointUrlIn, type LatencyPlatform, type Notice, type Payload } from './latency-rig.ts';

const CHANNEL_MESSAGES = /^\/channels\/(\d+)\/messages$/;

const strings = (...values: unknown[]) => values.filter((value): value is string => typeof value === 'string');
const objects = (value: unknown) => (Array.isArray(value) ? value.filter(isObject) : []);

/** What a reader sees of a message: its content and each embed's title, description, fields and footer (the delivery id is a field). */
function textOf(payload: Payload): string {
  const embeds = objects(payload.embeds).flatMap((embed) =>
    strings(embed.title, embed.description, ...objects(embed.fields).flatMap((field) => [field.name, field.value]), isObject(embed.footer) ? embed.footer.text : undefined),
  );
  return [...strings(payload.content), ...embeds].join('\n');
}

/** A successful POST /channels/{id}/messages as a notice; other calls as none. */
function noticesOf(call: DiscordCall): Notice[] {
  const chat = call.method === 'POST' && call.status === 200 ? CHANNEL_MESSAGES.exec(call.path)?.[1] : undefined;
  const payload = isObject(call.body) ? call.body : {};
  return chat ? [{ chat, text: textOf(payload), at: call.at, payload }] : [];
}

/** Snowflake-shaped ids 1300000000000000100 + n: channel 0 is the fake's default `#alerts`, the measured ones follow. */
const channelId = (n: number) => String(1_300_000_000_000_000_100n + BigInt(n));

/**
 * Discord for the notification latency scenario (latency-scenario.ts): the REST + gateway fake with hookwatch's
 * discord.js bot logged in, its guild holding every channel, every channel allowed.
 */
export const discordLatency: LatencyPlatform<DiscordFake> = {
  text: { name: 'Discord', api: 'REST API', method: 'POST /channels/{id}/messages', chatKind: 'channel' },
  chatId: channelId,
  // Once discord.js is ready (GUILD_CREATE came) hookwatch registers /hook in the guild: then a slash command reaches it.
  waitReady: (fake, timeoutMs) => fake.waitForCall(`PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`, timeoutMs),
  startFake: () => startDiscordFake({ channelId: channelId(0), extraChannelIds: Array.from({ length: CHAT_COUNT }, (_, i) => channelId(i + 1)) }),

  env(fake) {
    return { DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId };
  },

  /** `/hook new name:bench` in a channel; the webhook URL is read from the interaction's reply. */
  async newEndpoint(fake, chat) {
    const { interactionId } = fake.slashCommand({ name: 'hook', subcommand: 'new', options: { name: 'bench' }, channelId: chat });
    const reply = await fake.waitForCallback(interactionId, 10_000);
    return endpointUrlIn(JSON.stringify(reply.data ?? {}), `in channel ${chat}`);
  },

  notices(fake) {
    return fake.calls.flatMap(noticesOf);
  },

  /** The message as discord.js sends it: JSON with the bot token; the floor's marked text goes in as its content. */
  async postDirect(fake, chat, payload) {
    const { text, ...message } = payload;
    const res = await fetch(`${fake.apiUrl}/v10/channels/${chat}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bot ${fake.token}` },
      body: JSON.stringify({ ...message, content: text }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`direct POST /channels/${chat}/messages answered ${res.status}`);
  },
};
