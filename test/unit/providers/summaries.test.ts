import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import { valueAt } from '../../../src/providers/json-fields.ts';
import { formatMoney } from '../../../src/providers/format-money.ts';
import { fixtures } from '../../helpers/fixtures.ts';
import { fixtureRequest, requestOf, type ProviderFixture } from './requests.ts';

const summaryOf = (headers: Record<string, string>, body: unknown) => detectProvider(requestOf(headers, JSON.stringify(body)))?.summary;
const json = { 'content-type': 'application/json' };

describe('summaries of the shared fixtures', () => {
  it.each([
    ['stripe', '$99.99 from jane@example.com'],
    ['github', 'octocat/hello-world · main · 1 commit by octocat'],
    ['gitlab', 'pipeline #31 failed on main (63 s)'],
    ['shopify', 'order #9999 · 403.00 USD'],
    ['standard-webhooks', '€42.00 from cust_77'],
    ['twilio', 'SMS from +15005550006: Hello from Twilio & friends <3'],
  ])('%s: %s', (prefix, summary) => {
    const fixture = (fixtures as ProviderFixture[]).find((candidate) => candidate.file.startsWith(prefix))!;
    expect(detectProvider(fixtureRequest(fixture))?.summary).toBe(summary);
  });
});

describe('summaries by event family', () => {
  it('formats money in minor units with a symbol for usd, eur and gbp, else the code', () => {
    expect([formatMoney(9999, 'usd'), formatMoney(4200, 'EUR'), formatMoney(123456, 'gbp'), formatMoney(-500, 'usd')]).toEqual(['$99.99', '€42.00', '£1,234.56', '-$5.00']);
    expect([formatMoney(4200, 'chf'), formatMoney(500, 'jpy')]).toEqual(['42.00 CHF', '500 JPY']);
  });

  it('names a Stripe charge by its billing email and a subscription by its status', () => {
    const charge = { id: 'evt_1', object: 'event', type: 'charge.succeeded', data: { object: { amount: 2500, currency: 'gbp', billing_details: { email: 'bo@example.com' } } } };
    expect(summaryOf({ 'stripe-signature': 'x' }, charge)).toBe('£25.00 from bo@example.com');
    const subscription = { id: 'evt_2', object: 'event', type: 'customer.subscription.updated', data: { object: { id: 'sub_1', status: 'active' } } };
    expect(summaryOf(json, subscription)).toBe('sub_1 · active');
  });

  it('names GitHub pull requests and issues by action, number and title', () => {
    const pull = { action: 'opened', number: 12, pull_request: { number: 12, title: 'Fix the flux\ncapacitor' }, repository: { full_name: 'acme/widgets' } };
    expect(summaryOf({ 'x-github-event': 'pull_request' }, pull)).toBe('acme/widgets · opened #12 Fix the flux capacitor');
    const issue = { action: 'closed', issue: { number: 7, title: 'Crash' }, repository: { full_name: 'acme/widgets' } };
    expect(summaryOf({ 'x-github-event': 'issues' }, issue)).toBe('acme/widgets · closed #7 Crash');
    const push = { ref: 'refs/heads/dev', commits: [{}, {}, {}], head_commit: { author: { name: 'Jane Doe' } }, repository: { full_name: 'acme/widgets' } };
    expect(summaryOf({ 'x-github-event': 'push' }, push)).toBe('acme/widgets · dev · 3 commits by Jane Doe');
  });

  it('names GitLab pushes and merge requests', () => {
    const push = { object_kind: 'push', ref: 'refs/heads/main', total_commits_count: 2, user_name: 'Root', project: { path_with_namespace: 'g/p' } };
    expect(summaryOf({ 'x-gitlab-event': 'Push Hook' }, push)).toBe('g/p · main · 2 commits by Root');
    const merge = { object_kind: 'merge_request', object_attributes: { iid: 4, action: 'open', title: 'Speed up' }, project: {} };
    expect(summaryOf({ 'x-gitlab-event': 'Merge Request Hook' }, merge)).toBe('open !4 Speed up');
  });

  it('uses order_number when a Shopify order has no name', () => {
    expect(summaryOf({ 'x-shopify-topic': 'orders/paid' }, { order_number: 1001, total_price: '199.00', currency: 'USD' })).toBe('order #1001 · 199.00 USD');
  });

  it('cuts long SMS text near 80 characters, GitHub values at 60 and whole summaries at 150, on one line', () => {
    const form = requestOf({ 'content-type': 'application/x-www-form-urlencoded' }, `AccountSid=AC1&MessageSid=SM1&From=%2B1&Body=${'word%0A'.repeat(40)}`);
    const summary = detectProvider(form)?.summary ?? '';
    expect(summary).toMatch(/^SMS from \+1: (word ){15}word…$/);
    const long = { action: 'opened', issue: { number: 1, title: 'x'.repeat(400) }, repository: { full_name: 'a/b' } };
    expect(summaryOf({ 'x-github-event': 'issues' }, long)).toBe(`a/b · opened #1 ${'x'.repeat(59)}…`);
    const longer = { ...long, repository: { full_name: `a/${'b'.repeat(400)}` } };
    expect(summaryOf({ 'x-github-event': 'issues' }, longer)).toHaveLength(150);
  });

  it('strips bidi overrides and control characters from sender text', () => {
    const issue = { action: 'opened', issue: { number: 1, title: 'a\u202Egnp.exe\u0007b' }, repository: { full_name: 'a/b' } };
    expect(summaryOf({ 'x-github-event': 'issues' }, issue)).toBe('a/b · opened #1 a gnp.exe b');
  });

  it('reads GitHub fields only where they are: array items by index, strings and numbers', () => {
    expect([valueAt({ a: [{ b: 'x' }] }, 'a.0.b'), valueAt([1, 2], 'length'), valueAt({ a: ['x'] }, 'a.first')]).toEqual(['x', undefined, undefined]);
    const hostile = { action: 'created', ref_type: { toString: 'x' }, ref: ['main'], sender: { login: 42 } };
    expect(summaryOf({ 'x-github-event': 'create' }, hostile)).toBe('created · by 42');
    expect(summaryOf({ 'x-github-event': 'constructor' }, { action: 'x', repository: { full_name: 'a/b' } })).toBe('a/b · x');
  });

  it('reads a GitHub form-encoded payload like JSON and ignores a payload that is not an object', () => {
    const star = { action: 'created', repository: { full_name: 'a/b', stargazers_count: 2 }, sender: { login: 'jo' } };
    const form = (payload: string) => requestOf({ 'x-github-event': 'star', 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ payload }).toString());
    expect(detectProvider(form(JSON.stringify(star)))?.summary).toBe('a/b · created star · 2 stars · by jo');
    expect(detectProvider(form('[1,2]'))?.summary).toBeUndefined();
  });
});
