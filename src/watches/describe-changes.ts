import { diffLines } from 'diff';
import diff from 'microdiff';
import { cutText } from '../domain/truncate.ts';
import { formatPath, withoutIgnored } from './ignore-paths.ts';
import type { Answer } from './read-answer.ts';

/** A value as a change line shows it. */
const VALUE_MAX_CHARS = 80;
/** Past this many edits a line diff gives up (its cost grows with them) and says so. */
const MAX_LINE_EDITS = 2000;

/**
 * What changed between two answers, a line each: changed JSON paths (`data.status: "pending" -> "paid"`,
 * `items[3] added: {...}`, `note removed`), else a line diff (`- old`, `+ new`). Ignored paths count as equal.
 */
export function describeChanges(before: Answer, after: Answer, ignore: string[]): string[] {
  if (before.kind === 'json' && after.kind === 'json') {
    return diff(withoutIgnored(before.value, ignore) as object, withoutIgnored(after.value, ignore) as object).map((change) => {
      const path = formatPath(change.path) || '(whole answer)';
      if (change.type === 'CHANGE') return `${path}: ${show(change.oldValue)} -> ${show(change.value)}`;
      return change.type === 'CREATE' ? `${path} added: ${show(change.value)}` : `${path} removed`;
    });
  }
  const parts = diffLines(textOf(before), textOf(after), { maxEditLength: MAX_LINE_EDITS });
  if (parts === undefined) return ['More lines changed than hookwatch lists: payload shows the new answer.'];
  return parts.filter((part) => part.added || part.removed).flatMap((part) => part.value.replace(/\n$/, '').split('\n').map((line) => `${part.added ? '+' : '-'} ${line}`));
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_MAX_CHARS ? `${cutText(text, VALUE_MAX_CHARS)}…` : text;
}

function textOf(answer: Answer): string {
  return answer.kind === 'text' ? answer.text : JSON.stringify(answer.value, null, 2);
}
