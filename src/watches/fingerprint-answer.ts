import { createHash } from 'node:crypto';
import { withoutIgnored } from './ignore-paths.ts';
import type { Answer } from './read-answer.ts';

/** What two answers share when nothing worth telling changed: ignored paths and JSON key order left out. */
export function fingerprintAnswer(answer: Answer, ignore: string[]): string {
  const comparable = answer.kind === 'json' ? `json:${JSON.stringify(withoutIgnored(answer.value, ignore))}` : `text:${answer.text}`;
  return createHash('sha256').update(comparable).digest('base64url');
}
