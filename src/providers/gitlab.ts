import { createHash } from 'node:crypto';
import { gitlabSummary } from './gitlab-summary.ts';
import { recordAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { invalid, missingHeader, VALID } from './verdicts.ts';

const HEADER = 'X-Gitlab-Token';

/** GitLab does not sign: `X-Gitlab-Token` carries the secret itself, so it is compared, not recomputed. */
export const gitlab: Provider = {
  id: 'gitlab',
  name: 'GitLab',
  headers: ['x-gitlab-event', 'x-gitlab-event-uuid', 'x-gitlab-token'],
  signatureHeaders: [HEADER.toLowerCase()],
  sniff: ({ json }) => stringAt(json, 'object_kind') !== undefined && recordAt(json, 'project') !== undefined,
  describe(request) {
    return {
      event: request.header('x-gitlab-event') ?? stringAt(request.json, 'object_kind'),
      eventId: request.header('x-gitlab-event-uuid'),
      summary: gitlabSummary(request.json),
    };
  },
  verify(request, secret) {
    const token = request.header(HEADER);
    if (token === undefined) return missingHeader(HEADER);
    // Hashing first makes the comparison constant-time without leaking the secret's length.
    return safeEqual(sha256(token), sha256(secret)) ? VALID : invalid('wrong secret token');
  },
};

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
