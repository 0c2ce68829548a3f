import type { CodeBlock } from './message.ts';

/** Cuts at `maxChars` without splitting a surrogate pair. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}

/** Shortens a code block to `maxChars` and `maxLines`, remembering how long the whole was. */
export function truncateCode(block: CodeBlock, maxChars: number, maxLines = Infinity): CodeBlock {
  const fullLength = block.fullLength ?? block.content.length;
  let content = cutText(block.content, maxChars);
  const lines = content.split('\n');
  if (lines.length > maxLines) content = lines.slice(0, maxLines).join('\n');
  return content.length === block.content.length ? block : { ...block, content, fullLength };
}

/** The visible marker every renderer puts under a shortened block. */
export function truncationNote(block: CodeBlock): string | undefined {
  if (block.fullLength === undefined) return undefined;
  return `… truncated: ${block.content.length.toLocaleString('en')} of ${block.fullLength.toLocaleString('en')} characters shown`;
}
