import { numberAt, stringAt } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import type { JsonObject } from './provider.ts';

/** One line per GitLab `object_kind`, e.g. `pipeline #31 failed on main (63 s)`. */
export function gitlabSummary(body: JsonObject | undefined): string | undefined {
  const attributes = body?.object_attributes;
  switch (stringAt(body, 'object_kind')) {
    case 'pipeline': {
      const duration = numberAt(attributes, 'duration');
      const line = `pipeline #${numberAt(attributes, 'id') ?? '?'} ${stringAt(attributes, 'status') ?? ''} on ${stringAt(attributes, 'ref') ?? '?'}`;
      return duration === undefined ? line : `${line} (${duration} s)`;
    }
    case 'push':
    case 'tag_push': {
      const count = numberAt(body, 'total_commits_count') ?? 0;
      const ref = (stringAt(body, 'ref') ?? '').replace(/^refs\/(heads|tags)\//, '');
      const commits = `${count} ${count === 1 ? 'commit' : 'commits'}`;
      return joinParts(stringAt(body, 'project.path_with_namespace'), ref, `${commits} by ${stringAt(body, 'user_name') ?? '?'}`);
    }
    case 'merge_request':
      return itemLine(attributes, '!');
    case 'issue':
      return itemLine(attributes, '#');
    case 'build':
      return joinParts(`job ${stringAt(body, 'build_name') ?? '?'} ${stringAt(body, 'build_status') ?? ''}`.trim(), stringAt(body, 'ref'));
    default:
      return stringAt(body, 'project.path_with_namespace');
  }
}

/** `opened !12 Fix the flux capacitor`. */
function itemLine(attributes: unknown, sign: string): string | undefined {
  const number = numberAt(attributes, 'iid');
  const parts = [stringAt(attributes, 'action') ?? stringAt(attributes, 'state'), number === undefined ? undefined : `${sign}${number}`, stringAt(attributes, 'title')];
  return parts.filter(Boolean).join(' ') || undefined;
}
