import { describe, expect, it } from 'vitest';
import { searchWords, searchWordsText } from '../../src/find/search-words.ts';

describe('the words find compares', () => {
  const texts = [
    '',
    '   ',
    'Invoice.Paid',
    '  --leading and trailing--  ',
    'évènement Ünïcode ÇA',
    'naïve café 東京 2026-11-27T13:23:32Z',
    'tab\tnew\nline\r\nnbsp\u00a0zero\u200bwidth\ufeffbom',
    '$99.99 € 42,00',
    'a'.repeat(100) + '!!!' + 'B'.repeat(50),
    'emoji 🎉 between 👍🏽 words',
    'İstanbul ǅ ß ﬁ',
    '¦ already a break ¦',
  ];

  it.each(texts.map((text) => [text]))('writes %j as the words searchWords finds, one space apart', (text) => {
    expect(searchWordsText(text)).toBe(searchWords(text).join(' '));
  });
});
