import { performance } from 'node:perf_hooks';

/** The share of its time the event loop spends running code above which the process counts as saturated. */
export const SATURATED_UTILIZATION = 0.75;
/** How often the share is taken again: often enough to follow a burst, seldom enough to cost nothing per call. */
const WINDOW_MS = 100;

/**
 * Whether the process is saturated: its event loop was busy more than SATURATED_UTILIZATION of the last
 * window (node's event loop utilization). Asked on every relay try, so it reads the figure at most once per window.
 */
export function createSaturation(now: () => number = () => performance.now()): () => boolean {
  let last = performance.eventLoopUtilization();
  let since = now();
  let saturated = false;
  return function isSaturated(): boolean {
    if (now() - since < WINDOW_MS) return saturated;
    const current = performance.eventLoopUtilization();
    saturated = performance.eventLoopUtilization(current, last).utilization > SATURATED_UTILIZATION;
    last = current;
    since = now();
    return saturated;
  };
}
