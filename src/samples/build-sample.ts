import { randomBytes } from 'node:crypto';
import type { SampleRequest } from './sample-request.ts';
import { sampleSenders } from './sample-senders.ts';

export interface SampleOptions {
  provider: string;
  event?: string;
  /** The endpoint's signing secret: the sample is signed with the first one listed (several while rotating). */
  secret?: string;
  /** Unix seconds. */
  at: number;
}

/** A realistic delivery of `provider`, with fresh event ids, signed when a secret is given; undefined for an unknown provider. */
export function buildSample(options: SampleOptions): SampleRequest | undefined {
  const sender = sampleSenders.get(options.provider);
  if (!sender) return undefined;
  const context = { at: options.at, id: () => randomBytes(8).toString('hex') };
  const request = sender.build(options.event ?? sender.defaultEvent, context);
  const secret = options.secret?.split(/[\s,]+/).find(Boolean);
  return secret === undefined ? request : { ...request, headers: { ...request.headers, ...sender.sign(request, secret, context) } };
}
