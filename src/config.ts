import { z } from 'zod';

/** Blank values count as unset, so `FOO=` in a .env file falls back to the default. */
const optionalText = z.string().trim().min(1).optional();

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const url = z.string().trim().url().transform((value) => value.replace(/\/+$/, ''));
const chatList = z
  .string()
  .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
  .optional();

/**
 * `TRUST_PROXY` is handed to express's "trust proxy" setting: `false` (default) ignores
 * X-Forwarded-For, `true` trusts every hop, a number trusts that many hops, anything else is a
 * comma list of addresses/subnets (or express's names: loopback, linklocal, uniquelocal).
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value): boolean | number | string => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value;
  });

const databaseUrl = z
  .string()
  .trim()
  .regex(/^(sqlite|redis|rediss|postgres|postgresql):\/\/./, 'must start with sqlite://, redis:// or postgres://');

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: url.optional(),
  DATABASE_URL: databaseUrl.default('sqlite://data/hookwatch.sqlite'),
  MAX_BODY_BYTES: positiveInt.default(5_242_880),
  MAX_INFLIGHT_BODY_BYTES: positiveInt.optional(),
  RETENTION_DELIVERIES: positiveInt.default(500),
  RETENTION_DAYS: positiveInt.default(30),
  TRUST_PROXY: trustProxy.default(false),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_ALLOWED_CHATS: chatList,
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_URL: url.default('https://discord.com/api'),
  DISCORD_GUILD_ID: z.string().trim().regex(/^\d+$/, 'must be a numeric guild id').optional(),
  DISCORD_ALLOWED_CHATS: chatList,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.string().trim().url().default('https://slack.com/api/'),
  SLACK_ALLOWED_CHATS: chatList,
  SMTP_URL: z.string().trim().regex(/^smtps?:\/\/./, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().trim().min(1).default('hookwatch <hookwatch@localhost>'),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  DIGEST_TIMEZONE: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  /** Forwarding targets and watched APIs may be on loopback or private networks (off: refused at connect time). */
  FORWARD_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** How long a forwarding try waits for the target's answer. */
  FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** How long a failing relay is retried before it fails for good. */
  FORWARD_RETRY_HOURS: z.coerce.number().min(0.01).max(720).default(24),
  ALERT_REMIND_HOURS: z.coerce.number().min(0.01).max(8760).default(24),
  /** Bytes of a watched API's answer read, compared and stored; the rest is not read (its size is noted). */
  WATCH_MAX_BYTES: positiveInt.default(1_048_576),
  /** Watch polls under way at once, across all watches. */
  WATCH_MAX_INFLIGHT: positiveInt.default(16),
  /** A poll that has not answered in full by then counts as failed. */
  WATCH_TIMEOUT_MS: positiveInt.default(10_000),
  /** Unset: `info`, or `warn` when the console chat shares the terminal (see logLevelFor in main.ts). */
  LOG_LEVEL: logLevel.optional(),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'PUBLIC_URL' | 'MAX_INFLIGHT_BODY_BYTES'> {
  PUBLIC_URL: string;
  MAX_INFLIGHT_BODY_BYTES: number;
}

/** Settings whose whole value is a credential. */
const SECRET_VALUE = /TOKEN|SECRET/;
/** URL settings that may carry a password (`smtp://user:pass@host`): the rest of them is worth printing. */
const PASSWORD_URLS: readonly string[] = ['DATABASE_URL', 'SMTP_URL'];
export const REDACTED = '[redacted]';

/** Settings never printed as they are: not in a config error, not in a log line. */
export const SENSITIVE_SETTINGS = Object.keys(envSchema.shape).filter((name) => SECRET_VALUE.test(name) || PASSWORD_URLS.includes(name));

/** How a sensitive setting is printed: a URL keeps everything but its password, anything else is hidden. */
export function redactSetting(name: string, value: unknown): string {
  if (!PASSWORD_URLS.includes(name) || typeof value !== 'string') return REDACTED;
  const password = urlPassword(value);
  return password ? value.replace(`:${password}@`, `:${REDACTED}@`) : value;
}

/**
 * Every credential value this configuration holds, as it may appear in text: the tokens and signing
 * secrets, and the password of any URL (raw and percent-decoded). The logger hides these wherever they
 * turn up, e.g. inside an SDK's error that quotes a request URL with the bot token in it.
 */
export function configSecrets(config: Config): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'string') continue;
    if (SECRET_VALUE.test(name)) secrets.push(value);
    const password = urlPassword(value);
    if (password) secrets.push(password, decodedPassword(password));
  }
  return [...new Set(secrets)];
}

function decodedPassword(password: string): string {
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}

function urlPassword(value: string): string | undefined {
  try {
    return new URL(value).password || undefined;
  } catch {
    return undefined;
  }
}

/** Room for a few bodies of the largest size at once, in memory with their copies. */
const INFLIGHT_BODIES_BY_DEFAULT = 4;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The only reader of the environment: parses it once and fails with a line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const got = SENSITIVE_SETTINGS.includes(variable) ? undefined : present[variable];
    throw new ConfigError(`Invalid configuration: ${variable} ${describeIssue(issue)}${got === undefined ? '' : ` (got "${got}")`}`);
  }
  const config = parsed.data;
  if (config.SLACK_BOT_TOKEN !== undefined && config.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('Invalid configuration: SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set');
  }
  const inflight = config.MAX_INFLIGHT_BODY_BYTES ?? INFLIGHT_BODIES_BY_DEFAULT * config.MAX_BODY_BYTES;
  if (inflight < config.MAX_BODY_BYTES) {
    throw new ConfigError(`Invalid configuration: MAX_INFLIGHT_BODY_BYTES must be at least MAX_BODY_BYTES (${config.MAX_BODY_BYTES}), or a body of the largest size could never be received (got "${inflight}")`);
  }
  return { ...config, MAX_INFLIGHT_BODY_BYTES: inflight, PUBLIC_URL: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  if (issue.code === 'invalid_type') return 'must be a number';
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.join(', ')}`;
  if (issue.code === 'invalid_format' && issue.format === 'url') return 'must be a URL such as https://example.com';
  return issue.message.startsWith('must') ? issue.message : `is invalid: ${issue.message}`;
}
