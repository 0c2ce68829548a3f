import { parseDuration } from '../domain/duration.ts';
import { UsageError } from './command.ts';

/** `[every] [name]` after the URL: `1m order42`, `every 1m as order42`, `order42`, `as order42 every 1m`. */
export function parseWatchWords(words: string[]): { everyMs?: number; name?: string } {
  const parsed: { everyMs?: number; name?: string } = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    if (lower === 'every' || lower === 'as') {
      const value = words[++i];
      if (value === undefined) throw new UsageError(`"${word}" needs a value: ${lower === 'every' ? 'every 1m' : 'as order42'}.`);
      if (lower === 'every') parsed.everyMs = interval(value);
      else parsed.name = value;
    } else if (parsed.everyMs === undefined && /^\d/.test(word)) parsed.everyMs = interval(word);
    else if (parsed.name === undefined) parsed.name = word;
    else throw new UsageError(`"${word}" is one word too many: watch <url> [every] [name].`);
  }
  return parsed;
}

function interval(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`"${text}" is not an interval: use 30s to 1d, e.g. 5m.`);
  return ms;
}
