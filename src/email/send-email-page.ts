import type { Response } from 'express';
import { escapeHtml } from '../domain/escape-html.ts';

/** A small self-contained page for the confirmation and unsubscribe links; no scripts, tokens not leaked as Referer. */
export function sendEmailPage(res: Response, status: number, title: string, text: string, form?: { action: string; button: string }): void {
  const body = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · hookwatch</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222">',
    `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(text)}</p>`,
    form ? `<form method="post" action="${escapeHtml(form.action)}"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">${escapeHtml(form.button)}</button></form>` : '',
    '</body></html>',
  ].join('\n');
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    })
    .send(body);
}
