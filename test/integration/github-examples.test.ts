import { createHmac } from 'node:crypto';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const SECRET = 'octokit-examples-secret';
type Payload = Record<string, unknown> & { action?: string; repository?: { full_name?: string }; organization?: { login?: string } };
const all = examples.flatMap(({ name, examples: payloads }) => (payloads as Payload[]).map((payload, index) => ({ event: name, index, payload })));

/** The summary as the `last` command shows it: between the event name and the signature verdict. */
function summaryIn(line: string, event: string): string {
  const match = new RegExp(`· GitHub · ${event} · (.*) · signature valid ·`).exec(line);
  if (!match) throw new Error(`no verified GitHub ${event} line in: ${line}`);
  return match[1]!;
}

/** Specific means the line says more than where it happened and the action. */
function isSpecific(summary: string, payload: Payload): boolean {
  const generic = new Set([payload.repository?.full_name, payload.organization?.login, payload.action]);
  return summary.split(' · ').some((part) => !generic.has(part));
}

describe("GitHub's published webhook examples through the running service", () => {
  let service: TestService;
  let url: string;
  const summaries = new Map<string, string[]>();

  beforeAll(async () => {
    service = await startTestService(testConfig(), []);
    url = localUrl(service, await say(service, 'new hooks'));
    expect((await say(service, `secret hooks ${SECRET}`)).title).toBe('Signing secret of hooks set');
  });
  afterAll(() => service.stop());

  /** Posts a payload as GitHub does and returns the summary the service stored for it. */
  async function deliver(event: string, body: string, contentType = 'application/json'): Promise<string> {
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const headers = { 'content-type': contentType, 'x-github-event': event, 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
    return summaryIn((await say(service, 'last hooks 1')).lines?.[0] ?? '', event);
  }

  it.each(all.map((example) => [`${example.event} #${example.index}`, example] as const))('verifies %s and names its action', async (_name, { event, payload }) => {
    const summary = await deliver(event, JSON.stringify(payload));
    if (typeof payload.action === 'string') expect(summary.split(/ · | /)).toContain(payload.action);
    summaries.set(event, [...(summaries.get(event) ?? []), summary]);
  });

  it('gives at least 90% of event types a specific line for every example', () => {
    const specific = examples.filter(({ name, examples: payloads }) =>
      (payloads as Payload[]).every((payload, index) => isSpecific(summaries.get(name)?.[index] ?? '', payload)),
    );
    const share = specific.length / examples.length;
    console.log(`GitHub event types with a specific summary: ${specific.length}/${examples.length} (${(share * 100).toFixed(0)}%)`);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  it('reads a form-encoded delivery like JSON and still verifies it', async () => {
    const payload = examples.find(({ name }) => name === 'issue_comment')!.examples[0] as Payload;
    const summary = await deliver('issue_comment', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    expect(summary).toBe('Codertocat/Hello-World · created comment on #1 Spelling error in the README file · by Codertocat');
  });
});
