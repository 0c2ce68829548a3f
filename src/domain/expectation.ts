import { z } from 'zod';

/** How often an endpoint should hear from its sender (the `expect` command). */
export const expectationSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('every'), everyMs: z.number(), since: z.number() }),
  z.object({ mode: z.literal('auto'), since: z.number() }),
]);
export type Expectation = z.infer<typeof expectationSchema>;

/** `expect` accepts gaps in this range: shorter ones are noise, longer ones outlive retention. */
export const EXPECT_MIN_MS = 60_000;
export const EXPECT_MAX_MS = 30 * 86_400_000;
