import { describe, expect, it } from 'vitest';
import { describeChanges } from '../../../src/watches/describe-changes.ts';
import { fingerprintAnswer } from '../../../src/watches/fingerprint-answer.ts';
import { readAnswer } from '../../../src/watches/read-answer.ts';

const json = (value: unknown) => readAnswer(Buffer.from(JSON.stringify(value)));
const text = (value: string) => readAnswer(Buffer.from(value));

describe('describing what changed between two answers', () => {
  it('names changed, added and removed JSON paths with old and new values', () => {
    const before = json({ data: { status: 'pending', tags: ['a'] }, items: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    const after = json({ data: { status: 'paid' }, items: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }] });
    expect(describeChanges(before, after, [])).toEqual(['data.status: "pending" -> "paid"', 'data.tags removed', 'items[3] added: {"id":4}']);
  });

  it('leaves ignored paths out, with * for any index or key', () => {
    const before = json({ updated_at: 1, items: [{ seen: 1, n: 1 }], meta: { a: 1 } });
    const after = json({ updated_at: 2, items: [{ seen: 2, n: 2 }], meta: { a: 2 } });
    expect(describeChanges(before, after, ['updated_at', 'items[*].seen', 'meta'])).toEqual(['items[0].n: 1 -> 2']);
    expect(fingerprintAnswer(json({ b: 1, a: 1, t: 1 }), ['t'])).toBe(fingerprintAnswer(json({ a: 1, b: 1, t: 2 }), ['t']));
  });

  it('tells a text answer as a line diff', () => {
    expect(describeChanges(text('up\nversion 1\nok\n'), text('up\nversion 2\nok\nnew\n'), [])).toEqual(['- version 1', '+ version 2', '+ new']);
  });

  it('compares JSON nested deeper than a stranger should make us recurse as text, without overflowing', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(readAnswer(Buffer.from(deep)).kind).toBe('text');
    expect(describeChanges(text(deep), text(`${deep}\n1`), [])).toEqual(['- ' + deep, '+ ' + deep, '+ 1']);
  });
});
