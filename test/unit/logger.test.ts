import { Bot } from 'grammy';
import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig, SENSITIVE_SETTINGS } from '../../src/config.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import type { Watch } from '../../src/domain/watch.ts';
import { createLogger, type LoggerOptions } from '../../src/logger.ts';
import { freePort } from '../helpers/spawn-service.ts';

const SECRETS = {
  TELEGRAM_BOT_TOKEN: '123456:telegram-bot-token-AAA',
  TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret-BBB',
  SLACK_BOT_TOKEN: 'xoxb-slack-bot-token-CCC',
  SLACK_SIGNING_SECRET: 'slack-signing-secret-DDD',
  SLACK_APP_TOKEN: 'xapp-slack-app-token-EEE',
  DISCORD_BOT_TOKEN: 'discord.bot.token-FFF',
};
const SMTP_PASSWORD = 'smtp"pass\\GGG';
const DATABASE_PASSWORD = 'database-password-HHH';
const config = loadConfig({
  ...SECRETS,
  SMTP_URL: `smtp://mailer:${encodeURIComponent(SMTP_PASSWORD)}@mail.example.com:587`,
  DATABASE_URL: `postgres://app:${DATABASE_PASSWORD}@db.example.com:5432/hookwatch`,
});
const ALL_SECRETS = [...Object.values(SECRETS), SMTP_PASSWORD, encodeURIComponent(SMTP_PASSWORD), DATABASE_PASSWORD];

const endpoint: Endpoint = { id: 'e1', token: 'endpoint-url-token-III', name: 'stripe', owner: { platform: 'test', chatId: 'c' }, createdAt: 0, mutedUntil: null, signingSecret: 'whsec_endpoint_secret_JJJ' };

/** A logger writing into an array, as standard error would receive it. */
function capture(options: Omit<LoggerOptions, 'destination'>) {
  const lines: string[] = [];
  const logger = createLogger({ ...options, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, output: () => lines.join(''), last: () => JSON.parse(lines.at(-1)!) as Record<string, Record<string, unknown>> };
}

describe('the logger', () => {
  it('knows every secret setting of the configuration', () => {
    expect([...SENSITIVE_SETTINGS].sort()).toEqual([...Object.keys(SECRETS), 'SMTP_URL', 'DATABASE_URL'].sort());
  });

  it('hides each secret setting of a logged config by field name, keeping URLs but their passwords', () => {
    const { logger, last, output } = capture({ level: 'info' });
    logger.info({ config }, 'configuration');
    const logged = last().config!;
    for (const name of Object.keys(SECRETS)) expect(logged[name], name).toBe('[redacted]');
    expect(logged.SMTP_URL).toBe('smtp://mailer:[redacted]@mail.example.com:587');
    expect(logged.DATABASE_URL).toBe('postgres://app:[redacted]@db.example.com:5432/hookwatch');
    expect(logged.PUBLIC_URL).toBe('http://localhost:3000');
    logger.info(config, 'configuration at the top level');
    expect(last().TELEGRAM_BOT_TOKEN).toBe('[redacted]');
    for (const secret of ALL_SECRETS) expect(output()).not.toContain(secret);
  });

  it('hides an endpoint\'s URL token and signing secret', () => {
    const { logger, last, output } = capture({ level: 'info' });
    logger.info({ endpoint }, 'endpoint');
    expect(last().endpoint).toMatchObject({ name: 'stripe', token: '[redacted]', signingSecret: '[redacted]' });
    logger.info({ ...endpoint }, 'endpoint at the top level');
    expect(last()).toMatchObject({ token: '[redacted]', signingSecret: '[redacted]' });
    expect(output()).not.toMatch(/endpoint-url-token|whsec_endpoint/);
  });

  it("hides a watch's headers, which carry the watched API's credentials", () => {
    const { logger, last, output } = capture({ level: 'info' });
    const watch: Watch = { endpointId: 'e1', url: 'https://api.example.com/orders/42', everyMs: 60_000, headers: [['Authorization', 'Bearer watch-api-key-KKK']], ignore: [], createdAt: 0 };
    logger.info({ watch }, 'watch');
    expect(last().watch).toMatchObject({ url: 'https://api.example.com/orders/42', headers: '[redacted]' });
    logger.info({ ...watch }, 'watch at the top level');
    expect(output()).not.toContain('watch-api-key');
  });

  it('hides configured secrets wherever else they turn up, as in grammY\'s error quoting the bot API URL', async () => {
    const { logger, output } = capture({ level: 'info', secrets: configSecrets(config) });
    const bot = new Bot(SECRETS.TELEGRAM_BOT_TOKEN, { client: { apiRoot: `http://127.0.0.1:${await freePort()}` } });
    const error = await bot.api.getMe().catch((failure: unknown) => failure);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).toContain('telegram-bot-token'); // the nested error quotes the URL
    logger.error({ err: error, deep: { deeper: { values: Object.values(SECRETS), smtp: `login as mailer with ${SMTP_PASSWORD}`, db: DATABASE_PASSWORD } } }, 'telegram stopped');
    for (const secret of ALL_SECRETS) expect(output()).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(output()).toContain('/bot[redacted]/getMe');
    expect(() => JSON.parse(output())).not.toThrow();
  });
});
