import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED, redactSetting, SENSITIVE_SETTINGS } from './config.ts';
import { ENDPOINT_SECRET_FIELDS } from './domain/endpoint.ts';
import { WATCH_SECRET_FIELDS } from './domain/watch.ts';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Values never to print, wherever they turn up in a line (`configSecrets(config)`). */
  secrets?: string[];
  /** Standard error unless given (standard output belongs to the console chat). */
  destination?: DestinationStream;
}

/**
 * Fields named after a secret, on the logged object or one level down (`{ config }`, `{ endpoint }`);
 * pino's wildcards reach no deeper, which the value scrubbing below covers.
 */
const REDACT_PATHS = [...SENSITIVE_SETTINGS, ...ENDPOINT_SECRET_FIELDS, ...WATCH_SECRET_FIELDS].flatMap((name) => [name, `*.${name}`]);

/** Shorter values would garble every line (a one-letter secret is no secret); the paths still hide them. */
const MIN_SCRUBBED_LENGTH = 6;

/** JSON logs; secrets hidden by field name (pino `redact`) and by value (anywhere else in the line). */
export function createLogger({ level, secrets = [], destination = pino.destination(2) }: LoggerOptions): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: (value, path) => redactSetting(path.at(-1) ?? '', value) },
      hooks: { streamWrite: createScrubber(secrets) },
    },
    destination,
  );
}

/** Replaces each secret as it reads inside a JSON string (escaped), longest first. */
function createScrubber(secrets: string[]): (line: string) => string {
  const forms = [...new Set(secrets.filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH).map((secret) => JSON.stringify(secret).slice(1, -1)))];
  forms.sort((a, b) => b.length - a.length);
  return (line) => forms.reduce((scrubbed, form) => scrubbed.replaceAll(form, REDACTED), line);
}
