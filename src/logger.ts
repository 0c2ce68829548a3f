import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on standard error (standard output belongs to the console chat). */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'config.*TOKEN*', 'config.*SECRET*'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
