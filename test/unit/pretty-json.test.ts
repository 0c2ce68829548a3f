import { describe, expect, it } from 'vitest';
import { prettyJson } from '../../src/notify/pretty-json.ts';
import { fixtureBytes, fixtures } from '../helpers/fixtures.ts';

const parsedFixtures = fixtures.flatMap((fixture) => {
  try {
    return [[fixture.file, JSON.parse(fixtureBytes(fixture).toString('utf8')) as unknown] as const];
  } catch {
    return [];
  }
});

describe('prettyJson', () => {
  it.each(parsedFixtures)('prints %s exactly as JSON.stringify(value, null, 2) does', (_file, value) => {
    const expected = JSON.stringify(value, null, 2);
    expect(prettyJson(value, Infinity)).toEqual({ text: expected, length: expected.length });
  });

  it('prints empty containers, nulls in arrays and a "__proto__" key as JSON.stringify does', () => {
    const value = JSON.parse('{"__proto__":{"a":[]},"b":[null,{},[[]]],"c":"\\u2028\\"","1":2.5e-7}') as unknown;
    expect(prettyJson(value, Infinity).text).toBe(JSON.stringify(value, null, 2));
  });

  it('keeps only the first maxChars of a deep array and counts the whole length', () => {
    const deep = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;
    const whole = JSON.stringify(deep(1000), null, 2);
    expect(prettyJson(deep(1000), 1500)).toEqual({ text: whole.slice(0, 1500), length: whole.length });
    // n levels print as 2n² characters (each level opens and closes on a line indented by 2 per level),
    // which JSON.stringify cannot show for 5,000: its call stack overflows first.
    expect(() => JSON.stringify(deep(5000), null, 2)).toThrow(RangeError);
    expect(whole.length).toBe(2 * 1000 ** 2);
    expect(prettyJson(deep(5000), 1500)).toEqual({ text: whole.slice(0, 1500), length: 2 * 5000 ** 2 });
  });

  it('measures nested objects too deep for JSON.stringify, with their keys', () => {
    const deep = (levels: number) => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels)) as unknown;
    // Level L prints "{", a line indented L+1 deep with "a": and its value, and "}" on a line indented L deep.
    const expected = (levels: number) => 11 * levels + 2 * levels * (levels - 1) + 1;
    expect(JSON.stringify(deep(1000), null, 2).length).toBe(expected(1000));
    expect(prettyJson(deep(5000), 100).length).toBe(expected(5000));
  });

  it('never ends its text in half a surrogate pair', () => {
    const { text } = prettyJson(['😀'], 6);
    expect(text).toBe('[\n  "');
  });
});
