import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { buildHookCommand } from '../../src/channels/discord/hook-command-schema.ts';
import { CUSTOM_ID_MAX, EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX, renderDiscord } from '../../src/channels/discord/render-discord.ts';
import { commandList } from '../../src/commands/command-list.ts';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import { buildNotification } from '../../src/notify/build-notification.ts';
import { fixtureBytes, fixtureNamed, fixtures } from '../helpers/fixtures.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'signup_*bold*', owner: { platform: 'discord', chatId: '1' }, createdAt: 0, mutedUntil: null };

function deliveryOf(body: Buffer, contentType = 'application/json'): Delivery {
  return { id: '01jd3k8q2m000000', endpointId: endpoint.id, receivedAt: Date.UTC(2026, 10, 26), method: 'POST', subPath: '', query: '', headers: [['content-type', contentType]], body: body.toString('base64'), size: body.length, sourceIp: '' };
}

const embedLength = (embed: ReturnType<typeof renderDiscord>['embeds'][number]) =>
  (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);

describe('renderDiscord', () => {
  it('allows no mentions and escapes markdown outside the code block', () => {
    const out = renderDiscord(buildNotification(deliveryOf(fixtureBytes(fixtureNamed('hostile-text'))), endpoint));
    expect(out.allowedMentions).toEqual({ parse: [] });
    expect(out.embeds[0]?.title).toBe('signup\\_\\*bold\\* · POST /');
    expect(out.embeds[0]?.description).toMatch(/^```json\n/);
    expect(out.embeds[0]?.timestamp).toBe('2026-11-26T00:00:00.000Z');
    expect(out.embeds[0]?.color).toBeTypeOf('number');
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))('keeps %s within the embed limits with three buttons', (_name, fixture) => {
    const out = renderDiscord(buildNotification(deliveryOf(fixtureBytes(fixture), fixture.headers['content-type']), endpoint));
    expect(out.embeds[0]!.description?.length ?? 0).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
    expect(embedLength(out.embeds[0]!)).toBeLessThanOrEqual(EMBED_TOTAL_MAX);
    expect(out.components[0]?.components.map((button) => button.label)).toEqual(['Payload', 'Headers', 'Mute 1h']);
    for (const button of out.components[0]!.components) expect(button.custom_id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
  });

  it('attaches the whole body when the code block had to be cut', () => {
    const bytes = Buffer.from('x'.repeat(10_000));
    const out = renderDiscord({ title: 'Payload', code: { language: 'text', content: bytes.toString() }, attachment: { filename: 'payload-1.txt', contentType: 'text/plain', bytes, when: 'overflow' } });
    expect(out.files).toEqual([{ attachment: bytes, name: 'payload-1.txt' }]);
    expect(out.embeds[0]?.description).toMatch(/\*… truncated: [\d,]+ of 10,000 characters shown\*$/);
  });
});

describe('the /hook slash command', () => {
  it('has a subcommand per command with typed options, required first', () => {
    type Sub = { name: string; type: number; description: string; options: Array<{ name: string; required: boolean }> };
    const options = buildHookCommand(commandList).options as Sub[];
    // Past 25 commands the last place is the `more` group (see the next test): every command is in one or the other.
    const subcommands = options.flatMap((option) => (option.type === ApplicationCommandOptionType.SubcommandGroup ? (option.options as unknown as Sub[]) : [option]));
    expect(options.length).toBeLessThanOrEqual(25);
    expect(subcommands.map((sub) => sub.name)).toEqual(commandList.map((command) => command.name));
    const mute = subcommands.find((sub) => sub.name === 'mute') as unknown as { options: Array<{ name: string; required: boolean; autocomplete?: boolean }> };
    expect(mute.options).toMatchObject([{ name: 'endpoint', required: true, autocomplete: true }, { name: 'duration', required: false }]);
    for (const sub of subcommands) {
      expect(sub.name).toMatch(/^[a-z]{1,32}$/);
      expect(sub.description.length).toBeLessThanOrEqual(100);
      const firstOptional = sub.options.findIndex((option) => !option.required);
      if (firstOptional >= 0) expect(sub.options.slice(firstOptional).every((option) => !option.required)).toBe(true);
      for (const option of sub.options) expect(option.name).toMatch(/^[a-z]{1,32}$/);
    }
  });

  it('keeps within Discord\'s 25 options past 25 commands: the 25th place is a "more" group holding the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...commandList[0]!, name: `command${String.fromCharCode(97 + i)}` }));
    const options = buildHookCommand(many).options as Array<{ name: string; type: number; options?: Array<{ name: string }> }>;
    expect(options).toHaveLength(25);
    expect(options.slice(0, 24).map((option) => option.name)).toEqual(many.slice(0, 24).map((command) => command.name));
    expect(options[24]).toMatchObject({ name: 'more', type: ApplicationCommandOptionType.SubcommandGroup });
    expect(options[24]!.options!.map((option) => option.name)).toEqual(many.slice(24).map((command) => command.name));
  });
});
