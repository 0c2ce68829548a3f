import type { Tone } from '../domain/message.ts';

/** For platforms without colours: a leading symbol per tone. */
export const TONE_ICON: Record<Tone, string> = { info: '📨', success: '✅', warning: '⚠️', danger: '⛔' };
