import { escapeHtml } from '../domain/escape-html.ts';

/** The mail that proves the address belongs to whoever asked for digests in the chat. */
export function buildConfirmationMail(input: { chatLabel: string; schedule: string; link: string; validHours: number }) {
  const subject = `Confirm hookwatch digests for ${input.chatLabel}`;
  const text = [
    `Someone in ${input.chatLabel} asked hookwatch to send ${input.schedule} webhook digests to this address.`,
    '',
    `Confirm with this link (valid for ${input.validHours} hours, once):`,
    input.link,
    '',
    'If that was not you, ignore this mail: nothing is sent without the confirmation.',
  ].join('\n');
  const html = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">',
    `<p>Someone in ${escapeHtml(input.chatLabel)} asked hookwatch to send ${escapeHtml(input.schedule)} webhook digests to this address.</p>`,
    `<p><a href="${escapeHtml(input.link)}">Confirm the address</a> (valid for ${input.validHours} hours, once).</p>`,
    '<p style="color:#555">If that was not you, ignore this mail: nothing is sent without the confirmation.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
