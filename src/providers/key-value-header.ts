/** `t=1,v1=ab,v1=cd` -> pairs in order (repeats kept); undefined when a part has no `=`. */
export function keyValueHeader(header: string, separator: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of header.split(separator)) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    pairs.push([part.slice(0, at).trim(), part.slice(at + 1).trim()]);
  }
  return pairs;
}

/** The values of one key, e.g. every `v1`. */
export function valuesOf(pairs: Array<[string, string]>, key: string): string[] {
  return pairs.filter(([name]) => name === key).map(([, value]) => value);
}
