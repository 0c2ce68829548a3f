import { numberAt, stringAt, valueAt } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import type { JsonObject } from './provider.ts';

/** One line per GitHub event family, e.g. `acme/widgets · main · 3 commits by Jane Doe`. */
export function githubSummary(event: string | undefined, body: JsonObject | undefined): string | undefined {
  if (!body) return undefined;
  const repo = stringAt(body, 'repository.full_name');
  const action = stringAt(body, 'action');
  switch (event) {
    case 'push':
      return joinParts(repo, pushSummary(body));
    case 'pull_request':
    case 'issues':
      return joinParts(repo, itemLine(action, body[event === 'issues' ? 'issue' : 'pull_request']));
    case 'issue_comment':
      return joinParts(repo, itemLine('comment on', body.issue), stringAt(body, 'comment.user.login'));
    case 'release':
      return joinParts(repo, action, stringAt(body, 'release.tag_name'));
    case 'workflow_run':
      return joinParts(repo, stringAt(body, 'workflow_run.name'), stringAt(body, 'workflow_run.conclusion') ?? action, stringAt(body, 'workflow_run.head_branch'));
    case 'ping':
      return joinParts(repo, 'ping', stringAt(body, 'zen'));
    default:
      return joinParts(repo, action);
  }
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

/** `opened #12 Fix the flux capacitor`. */
function itemLine(action: string | undefined, item: unknown): string | undefined {
  const number = numberAt(item, 'number');
  const title = stringAt(item, 'title');
  return [action, number === undefined ? undefined : `#${number}`, title].filter(Boolean).join(' ') || undefined;
}
