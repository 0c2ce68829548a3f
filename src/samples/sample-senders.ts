import { createHmac } from 'node:crypto';
import type { SampleSender } from './sample-request.ts';

const hex = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest('hex');
const base64 = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64');
const json = (value: unknown) => JSON.stringify(value);

const stripe: SampleSender = {
  id: 'stripe',
  defaultEvent: 'payment_intent.succeeded',
  build: (event, { at, id }) => ({
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
    body: json({
      id: `evt_sample${id()}`,
      object: 'event',
      api_version: '2024-06-20',
      created: at,
      type: event,
      livemode: false,
      pending_webhooks: 1,
      request: { id: `req_sample${id()}`, idempotency_key: null },
      data: {
        object: { id: `pi_sample${id()}`, object: 'payment_intent', amount: 9999, amount_received: 9999, currency: 'usd', customer: 'cus_sample', description: 'Order #12345', receipt_email: 'jane@example.com', status: 'succeeded', metadata: { order_id: '12345' } },
      },
    }),
  }),
  // Stripe's scheme: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`.
  sign: ({ body }, secret, { at }) => ({ 'stripe-signature': `t=${at},v1=${hex(secret, `${at}.${body}`)}` }),
};

const github: SampleSender = {
  id: 'github',
  defaultEvent: 'push',
  build: (event, { id }) => ({
    headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/sample', 'x-github-event': event, 'x-github-delivery': `sample-${id()}`, 'x-github-hook-id': '1' },
    body: json({
      ref: 'refs/heads/main',
      before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      repository: { id: 1296269, name: 'hello-world', full_name: 'octocat/hello-world', private: false, html_url: 'https://github.com/octocat/hello-world', default_branch: 'main' },
      pusher: { name: 'octocat', email: 'octocat@github.com' },
      sender: { login: 'octocat', id: 1 },
      commits: [{ id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', message: 'Fix the flux capacitor', author: { name: 'Mona Lisa', username: 'monalisa' }, added: [], removed: [], modified: ['README.md'] }],
    }),
  }),
  sign: ({ body }, secret) => ({ 'x-hub-signature-256': `sha256=${hex(secret, body)}` }),
};

const gitlab: SampleSender = {
  id: 'gitlab',
  defaultEvent: 'Pipeline Hook',
  build: (event, { id }) => ({
    headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-event-uuid': `sample-${id()}`, 'x-gitlab-instance': 'https://gitlab.example.com' },
    body: json({
      object_kind: 'pipeline',
      object_attributes: { id: 31, ref: 'main', status: 'failed', duration: 63 },
      project: { id: 1, name: 'Gitlab Test', path_with_namespace: 'gitlab-org/gitlab-test', web_url: 'https://gitlab.example.com/gitlab-org/gitlab-test' },
      user: { id: 1, name: 'Administrator', username: 'root' },
    }),
  }),
  // GitLab sends the secret token itself.
  sign: (_request, secret) => ({ 'x-gitlab-token': secret }),
};

const shopify: SampleSender = {
  id: 'shopify',
  defaultEvent: 'orders/create',
  build: (event, { id }) => ({
    headers: { 'content-type': 'application/json', 'x-shopify-topic': event, 'x-shopify-shop-domain': 'example.myshopify.com', 'x-shopify-api-version': '2025-10', 'x-shopify-webhook-id': `sample-${id()}` },
    body: json({
      id: 820982911946154500,
      email: 'jon@example.com',
      name: '#9999',
      currency: 'USD',
      total_price: '403.00',
      financial_status: 'paid',
      line_items: [{ id: 866550311766439000, title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' }],
      customer: { id: 115310627314723950, email: 'john@example.com', first_name: 'John', last_name: 'Smith' },
    }),
  }),
  sign: ({ body }, secret) => ({ 'x-shopify-hmac-sha256': base64(secret, body) }),
};

const standardWebhooks: SampleSender = {
  id: 'standard-webhooks',
  defaultEvent: 'invoice.paid',
  build: (event, { at, id }) => ({
    headers: { 'content-type': 'application/json', 'webhook-id': `msg_sample${id()}`, 'webhook-timestamp': String(at) },
    body: json({ type: event, timestamp: new Date(at * 1000).toISOString(), data: { invoice_id: 'inv_1042', customer_id: 'cust_77', amount: 4200, currency: 'EUR' } }),
  }),
  // `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the base64 after `whsec_`.
  sign: ({ headers, body }, secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return { 'webhook-signature': `v1,${base64(key, `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)}` };
  },
};

/** The senders `sample` can imitate, by provider id. */
export const sampleSenders: ReadonlyMap<string, SampleSender> = new Map([stripe, github, gitlab, shopify, standardWebhooks].map((sender) => [sender.id, sender]));
