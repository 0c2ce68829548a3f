import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const USER = 7001;

describe('the logs of the service as its own process', () => {
  let fake: TelegramFake;
  let service: SpawnedService;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    fake = await startTelegramFake({ token: '123456789:AAHsecretTelegramTokenForLogs_0001' });
    // Slack and Discord point at a closed port: their start-up failures are logged too.
    const closed = `http://127.0.0.1:${await freePort()}`;
    secrets = {
      TELEGRAM_BOT_TOKEN: fake.token,
      SLACK_BOT_TOKEN: 'xoxb-secret-slack-bot-token-0002',
      SLACK_SIGNING_SECRET: 'secret-slack-signing-secret-0003',
      DISCORD_BOT_TOKEN: 'secret.discord.bot.token-0004',
      SMTP_PASSWORD: 'secret-smtp-password-0005',
    };
    service = await spawnService({
      LOG_LEVEL: 'info',
      DATABASE_URL: tempDatabaseUrl(),
      TELEGRAM_BOT_TOKEN: secrets.TELEGRAM_BOT_TOKEN!,
      TELEGRAM_API_ROOT: fake.apiRoot,
      SLACK_BOT_TOKEN: secrets.SLACK_BOT_TOKEN!,
      SLACK_SIGNING_SECRET: secrets.SLACK_SIGNING_SECRET!,
      SLACK_API_URL: `${closed}/api/`,
      DISCORD_BOT_TOKEN: secrets.DISCORD_BOT_TOKEN!,
      DISCORD_API_URL: `${closed}/api`,
      SMTP_URL: `smtp://mailer:${secrets.SMTP_PASSWORD}@127.0.0.1:2525`,
    });
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  async function waitForLog(pattern: RegExp): Promise<void> {
    for (let tries = 0; tries < 750 && !pattern.test(service.stderr()); tries++) await new Promise((done) => setTimeout(done, 20));
    expect(service.stderr()).toMatch(pattern);
  }

  it('logs its configuration with every secret redacted', async () => {
    await waitForLog(/"msg":"configuration"/);
    const line = service.stderr().split('\n').find((entry) => entry.includes('"msg":"configuration"'))!;
    const { config } = JSON.parse(line) as { config: Record<string, unknown> };
    for (const name of ['TELEGRAM_BOT_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_BOT_TOKEN']) expect(config[name], name).toBe('[redacted]');
    expect(config.SMTP_URL).toBe('smtp://mailer:[redacted]@127.0.0.1:2525');
  });

  it('prints no secret in the errors of chats it cannot reach', async () => {
    fake.sendUserMessage(USER, '/new stripe');
    await fake.waitForSent(1, USER);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(fake.sent(USER)[0]!.text ?? '')![1]!;
    await fake.stop();
    await fetch(url, { method: 'POST', body: '{"hello":"world"}' });
    await waitForLog(/notification failed; will retry/);
    await waitForLog(/slack stopped/);
    await waitForLog(/discord login failed/);
    for (const [name, secret] of Object.entries(secrets)) expect(service.stderr(), name).not.toContain(secret);
  });
});
