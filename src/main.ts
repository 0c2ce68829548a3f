import { existsSync } from 'node:fs';
import { consoleChatRuns } from './channels/index.ts';
import { ConfigError, configSecrets, loadConfig, type Config } from './config.ts';
import { ListenError } from './http/listen.ts';
import { createLogger } from './logger.ts';
import { startService } from './service.ts';
import { StoreLockedError } from './store/lock-database-file.ts';
import { StoreConfigError } from './store/open-store.ts';

/** Unless set: the console chat's terminal stays readable with warnings only (logs go to standard error). */
function logLevelFor(config: Config): string {
  return config.LOG_LEVEL ?? (consoleChatRuns(config) ? 'warn' : 'info');
}

/** Composition root: config from the environment, then the service; SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  // Variables already in the environment win over the file, as with `node --env-file`.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: logLevelFor(config), secrets: configSecrets(config) });
  logger.info({ config }, 'configuration');
  const service = await startService({ config, logger, console: { input: process.stdin, output: process.stdout } }).catch((error: unknown) => {
    if (!(error instanceof StoreConfigError || error instanceof StoreLockedError || error instanceof ListenError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
