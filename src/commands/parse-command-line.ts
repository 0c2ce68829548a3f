export interface CommandLine {
  name: string;
  args: string[];
}

/**
 * `/mute@hookwatch_bot stripe 2h` -> { name: 'mute', args: ['stripe', '2h'] }. A leading `/`
 * and a Telegram `@botname` suffix are allowed; undefined for an empty line.
 */
export function parseCommandLine(text: string): CommandLine | undefined {
  const [word, ...args] = text.trim().split(/\s+/).filter(Boolean);
  if (word === undefined) return undefined;
  const name = word.replace(/^\//, '').replace(/@\w+$/, '').toLowerCase();
  return { name, args };
}
