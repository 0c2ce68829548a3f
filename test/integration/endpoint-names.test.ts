import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testChat, testConfig, type TestService } from '../helpers/start-test-service.ts';

describe('endpoint names and ids', () => {
  let config: Config;
  let recorder: ReturnType<typeof createRecordingChannel>;
  let service: TestService;
  const idOf = async (name: string) => (await say(service, `show ${name}`)).fields?.find((field) => field.label === 'Id')?.value ?? '';
  const notifications = async (name: string) => (await say(service, `show ${name}`)).fields?.find((field) => field.label === 'Notifications')?.value;

  beforeEach(async () => {
    config = testConfig();
    recorder = createRecordingChannel();
    service = await startTestService(config, [recorder.channel]);
  });
  afterEach(() => service.stop());

  it('refuses to create or rename an endpoint to the id of another', async () => {
    await say(service, 'new stripe');
    await say(service, 'new github');
    const stripeId = await idOf('stripe');
    expect((await say(service, `new ${stripeId}`)).title).toBe(`"${stripeId}" is the id of your endpoint stripe, so it cannot be a name. Pick another name.`);
    expect((await say(service, `rename github ${stripeId}`)).title).toBe(`"${stripeId}" is the id of your endpoint stripe, so it cannot be a name. Pick another name.`);
    expect((await say(service, 'list')).fields?.map((field) => field.label)).toEqual(['stripe', 'github']);
  });

  it("mutes the notification's own endpoint from its button, even when another is named like its id", async () => {
    const url = localUrl(service, await say(service, 'new stripe'));
    const stripeId = await idOf('stripe');
    await say(service, 'new lookalike');
    // Named before such names were refused: written to the store as an older version would have.
    const store = await createSqliteStore(config.DATABASE_URL);
    const lookalikeId = await idOf('lookalike');
    const [row] = await store.getMany([`endpoint:${lookalikeId}`]);
    await store.write({ set: [[`endpoint:${lookalikeId}`, { ...(row as object), name: stripeId }]] });
    await store.close();

    await fetch(url, { method: 'POST', body: '{"type":"charge.succeeded"}' });
    await recorder.waitFor(1);
    const mute = recorder.sent[0]!.message.buttons!.find((button) => button.label === 'Mute 1h')!.action;
    expect((await service.commands.run(testChat(), mute.command, mute.args)).title).toBe('stripe muted');
    expect(await notifications('stripe')).toMatch(/^muted/);
    expect(await notifications(`id:${lookalikeId}`)).toBe('notifications on');
    // Typed, the clash is named instead of guessed.
    expect((await say(service, `unmute ${stripeId}`)).title).toBe(
      `"${stripeId}" is the name of one endpoint and the id of another (stripe). Use id:${stripeId} for that one, or rename ${stripeId}.`,
    );
  });
});
