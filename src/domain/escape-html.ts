/**
 * For text and attribute values in HTML: the digest's mail and pages, and Telegram's HTML parse mode
 * (which decodes the numeric `&#39;` like the named entities it knows).
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
