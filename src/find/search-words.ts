const NON_WORD = /[^\p{L}\p{N}]+/u;

/** The words of a text as `find` compares them: lower case, split at anything not a letter or digit. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(NON_WORD).filter(Boolean);
}
