import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('loadConfig', () => {
  it('applies the spec defaults, deriving PUBLIC_URL from PORT', () => {
    const config = loadConfig({ PORT: '8080' });
    expect(config).toMatchObject({ HOST: '0.0.0.0', PUBLIC_URL: 'http://localhost:8080', DATABASE_URL: 'sqlite://data/hookwatch.sqlite', MAX_BODY_BYTES: 5_242_880, RETENTION_DELIVERIES: 500, RETENTION_DAYS: 30, TRUST_PROXY: false, DIGEST_HOUR: 8, DIGEST_TIMEZONE: 'UTC' });
  });

  it('treats blank values as unset and trims a trailing slash from URLs', () => {
    const config = loadConfig({ PORT: '', TELEGRAM_BOT_TOKEN: ' ', PUBLIC_URL: 'https://hooks.example.com/' });
    expect(config).toMatchObject({ PORT: 3000, PUBLIC_URL: 'https://hooks.example.com' });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names the variable and the problem in one line', () => {
    expect(failure({ PORT: 'abc' })).toBe('Invalid configuration: PORT must be a number (got "abc")');
    expect(failure({ MAX_BODY_BYTES: '0' })).toBe('Invalid configuration: MAX_BODY_BYTES must be at least 1 (got "0")');
    expect(failure({ LOG_LEVEL: 'loud' })).toBe('Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(failure({ PUBLIC_URL: 'hooks' })).toBe('Invalid configuration: PUBLIC_URL must be a URL such as https://example.com (got "hooks")');
    expect(failure({ DIGEST_HOUR: '24' })).toBe('Invalid configuration: DIGEST_HOUR must be at most 23 (got "24")');
    expect(failure({ DIGEST_TIMEZONE: 'Mars/Olympus' })).toBe('Invalid configuration: DIGEST_TIMEZONE must be an IANA time zone such as Europe/Berlin (got "Mars/Olympus")');
    expect(failure({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBe('Invalid configuration: SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set');
  });

  it('reads at most WATCH_MAX_BYTES of a watched answer, 1 MiB unless set, and refuses 0', () => {
    expect(loadConfig({}).WATCH_MAX_BYTES).toBe(1_048_576);
    expect(loadConfig({ WATCH_MAX_BYTES: '2048' }).WATCH_MAX_BYTES).toBe(2048);
    expect(() => loadConfig({ WATCH_MAX_BYTES: '0' })).toThrow(/WATCH_MAX_BYTES/);
  });

  it('reminds of open alerts every ALERT_REMIND_HOURS, 24 unless set, and refuses none at all', () => {
    expect(loadConfig({}).ALERT_REMIND_HOURS).toBe(24);
    expect(loadConfig({ ALERT_REMIND_HOURS: '0.5' }).ALERT_REMIND_HOURS).toBe(0.5);
    expect(failure({ ALERT_REMIND_HOURS: '0' })).toBe('Invalid configuration: ALERT_REMIND_HOURS must be at least 0.01 (got "0")');
  });

  it('never echoes a credential back', () => {
    expect(failure({ DATABASE_URL: 'mysql://root:hunter2@db' })).toBe('Invalid configuration: DATABASE_URL must start with sqlite://, redis:// or postgres://');
    expect(failure({ TELEGRAM_WEBHOOK_SECRET: 'has spaces in it' })).not.toContain('has spaces');
  });

  it('budgets bodies in flight at 4 x MAX_BODY_BYTES unless set, and never below one body', () => {
    expect(loadConfig({}).MAX_INFLIGHT_BODY_BYTES).toBe(4 * 5_242_880);
    expect(loadConfig({ MAX_BODY_BYTES: '1000' }).MAX_INFLIGHT_BODY_BYTES).toBe(4000);
    expect(loadConfig({ MAX_BODY_BYTES: '1000', MAX_INFLIGHT_BODY_BYTES: '1000' }).MAX_INFLIGHT_BODY_BYTES).toBe(1000);
    expect(failure({ MAX_BODY_BYTES: '1000', MAX_INFLIGHT_BODY_BYTES: '999' })).toBe(
      'Invalid configuration: MAX_INFLIGHT_BODY_BYTES must be at least MAX_BODY_BYTES (1000), or a body of the largest size could never be received (got "999")',
    );
  });

  it('reads TRUST_PROXY as express does: boolean, hop count or address list', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });
});
