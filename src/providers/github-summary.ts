import { fillTemplate } from './fill-template.ts';
import { GITHUB_LINES } from './github-lines.ts';
import { firstString, stringAt, valueAt } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import type { JsonObject } from './provider.ts';

/** One line per GitHub event: `acme/widgets · opened #12 Fix it · by jane`, the action always named. */
export function githubSummary(event: string | undefined, body: JsonObject | undefined): string | undefined {
  if (!body) return undefined;
  // Organisation and app events have no repository; the owner is the next best "where".
  const where = firstString(body, ['repository.full_name', 'organization.login', 'installation.account.login', 'marketplace_purchase.account.login']);
  if (event === 'push') return joinParts(where, pushSummary(body));
  const action = stringAt(body, 'action');
  // Own keys only: an `X-GitHub-Event: constructor` must not find a built-in.
  const line = event !== undefined && Object.hasOwn(GITHUB_LINES, event) ? GITHUB_LINES[event] : undefined;
  if (!line) return joinParts(where, action);
  const subject = line.subject === undefined ? undefined : fillTemplate(line.subject, body);
  const facts = (line.facts ?? []).map((fact) => (typeof fact === 'string' ? fillTemplate(fact, body) : fact(body)));
  return joinParts(where, [action, subject].filter(Boolean).join(' '), ...facts);
}

function pushSummary(body: JsonObject): string {
  const ref = stringAt(body, 'ref') ?? '';
  const branch = ref.startsWith('refs/tags/') ? `tag ${ref.slice(10)}` : ref.replace(/^refs\/heads\//, '');
  if (body.deleted === true) return `${branch} deleted`;
  const commits = valueAt(body, 'commits');
  const count = Array.isArray(commits) ? commits.length : 0;
  const author = stringAt(body, 'pusher.name') ?? stringAt(body, 'head_commit.author.name') ?? stringAt(body, 'sender.login');
  const line = `${branch} · ${count} ${count === 1 ? 'commit' : 'commits'}`;
  return author === undefined ? line : `${line} by ${author}`;
}
