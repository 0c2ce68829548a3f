import { oneLine } from './one-line.ts';
import type { Detection } from './provider.ts';

const SMS_TEXT_MAX = 80;

/** `sms.received` for an incoming message, `sms.<status>` for status callbacks, `call.<status>` for calls. */
export function twilioEvent(form: URLSearchParams | undefined): Pick<Detection, 'event' | 'eventId' | 'summary'> {
  const field = (key: string) => form?.get(key) ?? undefined;
  const messageSid = field('MessageSid') ?? field('SmsSid');
  if (messageSid !== undefined) {
    const status = field('MessageStatus') ?? field('SmsStatus') ?? 'received';
    const text = oneLine(field('Body') ?? '', SMS_TEXT_MAX);
    const summary = status !== 'received' ? `SMS to ${field('To') ?? '?'} ${status}` : `SMS from ${field('From') ?? '?'}${text && `: ${text}`}`;
    return { event: `sms.${status}`, eventId: messageSid, summary };
  }
  const callSid = field('CallSid');
  if (callSid !== undefined) {
    const status = field('CallStatus') ?? 'ringing';
    return { event: `call.${status}`, eventId: callSid, summary: `call from ${field('From') ?? '?'} ${status}` };
  }
  return {};
}
