const NON_WORD = /[^\p{L}\p{N}]+/u;
const NON_WORDS = /[^\p{L}\p{N}]+/gu;

/** The words of a text as `find` compares them: lower case, split at anything not a letter or digit. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(NON_WORD).filter(Boolean);
}

/**
 * `searchWords(text).join(' ')`, in one pass and without an array of words: what is stored per delivery,
 * where the split's arrays were a third of all ingest allocated.
 */
export function searchWordsText(text: string): string {
  return text.toLowerCase().replace(NON_WORDS, ' ').trim();
}
