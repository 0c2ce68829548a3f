import type { Transformer } from 'grammy';

const MAX_ATTEMPTS = 3;
const MAX_WAIT_SECONDS = 60;

/**
 * Bot API transformer: a 429 is retried after its `retry_after` (a few times, never for long),
 * so command replies survive a short flood limit. Other failures are returned as they are.
 */
export function retryAfter429(): Transformer {
  return async function retryOn429(prev, method, payload, signal) {
    for (let attempt = 1; ; attempt++) {
      const result = await prev(method, payload, signal);
      const wait = result.ok ? undefined : result.parameters?.retry_after;
      if (result.ok || result.error_code !== 429 || wait === undefined || wait > MAX_WAIT_SECONDS || attempt >= MAX_ATTEMPTS) return result;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  };
}
