import type { Message } from '../../domain/message.ts';
import { truncationNote } from '../../domain/truncate.ts';

/** Terminal control characters from strangers could rewrite the screen: show them instead. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A Message as plain text for a terminal; buttons become the command they run. */
export function renderText(message: Message, format: (name: string, args: string[]) => string): string {
  const out = [`== ${clean(message.title)} ==`];
  for (const line of message.lines ?? []) out.push(clean(line));
  for (const field of message.fields ?? []) out.push(`${clean(field.label)}: ${clean(field.value).replaceAll('\n', '\n  ')}`);
  if (message.code) {
    out.push('```' + message.code.language, clean(message.code.content), '```');
    const note = truncationNote(message.code);
    if (note) out.push(note);
  }
  if (message.attachment?.when === 'always') {
    const { filename, bytes } = message.attachment;
    out.push(`--- file ${clean(filename)} (${bytes.length} bytes, base64) ---`, bytes.toString('base64'), '--- end of file ---');
  }
  if (message.buttons?.length) {
    out.push(message.buttons.map((button) => `[${clean(button.label)}: ${clean(format(button.action.command, button.action.args))}]`).join('  '));
  }
  return out.join('\n') + '\n';
}
