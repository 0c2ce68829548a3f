import type { Action } from '../domain/message.ts';

/**
 * A button's action as platform data: the command line it runs (`payload 01jd3k…`). Stateless,
 * so a button on a week-old message still works after any number of restarts.
 */
export function encodeAction(action: Action): string {
  return [action.command, ...action.args].join(' ');
}

export function decodeAction(data: string): Action | undefined {
  const [command, ...args] = data.split(' ').filter(Boolean);
  return command === undefined ? undefined : { command, args };
}
