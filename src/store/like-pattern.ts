/** A `find` pattern (`*` is any run of characters) as SQL LIKE's, with `\` as the escape: LIKE's own wildcards and `\` are taken literally. */
export function likePattern(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (char) => `\\${char}`).replaceAll('*', '%');
}
