import type { Verification } from './provider.ts';
import { invalid, VALID } from './verdicts.ts';

/** How far a signed timestamp may be from now: the replay window Stripe, Slack and Svix use. */
export const TOLERANCE_SECONDS = 300;

/** Unix seconds as signature headers carry them. */
export const UNIX_SECONDS = /^\d{1,12}$/;

/** Valid when a signed timestamp (Unix seconds) is within the tolerance of `nowMs`, either way. */
export function checkTimestamp(seconds: number, nowMs: number): Verification {
  const age = Math.round(nowMs / 1000 - seconds);
  if (age > TOLERANCE_SECONDS) return invalid(`stale timestamp (${age} s old, tolerance ${TOLERANCE_SECONDS} s)`);
  if (-age > TOLERANCE_SECONDS) return invalid(`timestamp ${-age} s in the future (tolerance ${TOLERANCE_SECONDS} s)`);
  return VALID;
}
