import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { buildDigest, hasActivity } from '../../src/email/build-digest.ts';

const at = (iso: string) => Date.parse(iso);

function delivery(id: string, iso: string, event?: string, signature: 'valid' | 'invalid' | 'unsigned' = 'unsigned'): Delivery {
  return {
    id,
    endpointId: 'e1',
    receivedAt: at(iso),
    method: 'POST',
    subPath: '',
    query: '',
    headers: [],
    body: '',
    size: 0,
    sourceIp: '127.0.0.1',
    ...(event ? { analysis: { provider: 'x', providerName: 'Evil<Co>', event, signature: { status: signature } } } : {}),
  };
}

const base = { chatLabel: 'console chat <me>', start: at('2026-11-26T16:00:00Z'), end: at('2026-11-26T17:00:00Z'), timeZone: 'UTC', unsubscribeUrl: 'https://hooks.example.com/email/unsubscribe/tok?a=1&b=2' };

describe('buildDigest', () => {
  it('counts by event, rejections and signature failures, and names silent endpoints', () => {
    const mail = buildDigest({
      ...base,
      endpoints: [
        {
          name: 'stripe',
          deliveries: [
            delivery('d1', '2026-11-26T16:05:00Z', 'charge.succeeded'),
            delivery('d2', '2026-11-26T16:06:00Z', 'charge.succeeded', 'invalid'),
            delivery('d3', '2026-11-26T16:50:00Z', 'charge.failed'),
            delivery('d4', '2026-11-26T16:51:00Z'),
          ],
          rejections: [{ at: at('2026-11-26T16:10:00Z'), reason: 'too-large', size: 10 }],
        },
        { name: 'github', deliveries: [], rejections: [], lastBefore: at('2026-11-25T09:00:00Z') },
        { name: 'never', deliveries: [], rejections: [] },
      ],
    });
    expect(mail.subject).toBe('hookwatch digest: 4 deliveries, 2 rejected on 1 endpoint');
    expect(mail.text).toContain('2 × Evil<Co> · charge.succeeded');
    expect(mail.text).toContain('1 × POST /');
    expect(mail.text).toContain('Rejected as too large (413): 1');
    expect(mail.text).toContain('Failed signature check: 1');
    expect(mail.text).toContain('First: 26 Nov 2026, 16:05 UTC');
    expect(mail.text).toContain('Last: 26 Nov 2026, 16:51 UTC');
    expect(mail.text).toContain('Busiest hour: 16:00–17:00 (4)');
    expect(mail.text).toMatch(/Most recent:\n {2}d4 .*\n {2}d3 /);
    expect(mail.text).toContain('github (last delivery 25 Nov 2026, 09:00 UTC)');
    expect(mail.text).not.toContain('never');
    expect(mail.html).toContain('<a href="https://hooks.example.com/email/unsubscribe/tok?a=1&amp;b=2">Unsubscribe</a>');
  });

  it('says when notifications could not reach the chat, with when and why', () => {
    const failed = { at: at('2026-11-26T16:30:00Z'), message: 'Forbidden: bot was kicked from the group <chat>' };
    const mail = buildDigest({ ...base, endpoints: [{ name: 'stripe', deliveries: [delivery('d1', '2026-11-26T16:05:00Z', 'charge.succeeded')], rejections: [], sendError: failed }] });
    expect(mail.text).toContain('Notifications to the chat failed: 26 Nov 2026, 16:30 UTC: Forbidden: bot was kicked from the group <chat>');
    expect(mail.html).toContain('bot was kicked from the group &lt;chat&gt;');
  });

  it('escapes every untrusted string in the HTML and has no scripts or images', () => {
    const hostile = '<script>alert(1)</script>';
    const mail = buildDigest({
      ...base,
      chatLabel: '"><img src=x onerror=alert(1)>',
      endpoints: [{ name: hostile, deliveries: [delivery('d1', '2026-11-26T16:05:00Z', '<img src=x>')], rejections: [] }],
    });
    expect(mail.html).not.toMatch(/<script|<img/i);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Evil&lt;Co&gt; · &lt;img src=x&gt;');
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.text).toContain(hostile);
  });

  it('shows no credential from a delivery\'s query or headers', () => {
    const leaky: Delivery = { ...delivery('d1', '2026-11-26T16:05:00Z'), subPath: '/orders', query: 'token=tok_live_abcdef123456&page=2', headers: [['X-Shopify-Hmac-Sha256', 'hmac_abcdef654321'], ['Authorization', 'Bearer sk_live_0123456789ab']] };
    const mail = buildDigest({ ...base, endpoints: [{ name: 'shop', deliveries: [leaky], rejections: [] }] });
    expect(mail.text).toContain('1 × POST /orders');
    for (const secret of ['tok_live_abcdef123456', 'hmac_abcdef654321', 'sk_live_0123456789ab']) expect(mail.text + mail.html).not.toContain(secret);
  });

  it('says when nothing happened and marks a preview', () => {
    const empty = { ...base, preview: true, endpoints: [{ name: 'stripe', deliveries: [], rejections: [] }] };
    expect(hasActivity(empty)).toBe(false);
    const mail = buildDigest(empty);
    expect(mail.subject).toBe('[preview] hookwatch digest: 0 deliveries on 0 endpoints');
    expect(mail.text).toContain('No deliveries in this period.');
  });
});
