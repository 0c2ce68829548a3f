import { describeAttempt, type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import { formatTime } from '../domain/format.ts';
import { isCredentialName } from '../domain/is-credential-name.ts';
import { maskCredential } from '../domain/mask-credential.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { Field } from '../domain/message.ts';
import { deliveryArg, type Command } from './command.ts';
import { resolveDelivery } from './resolve-delivery.ts';

export const attemptsCommand: Command = {
  name: 'attempts',
  audience: 'caller',
  summary: "every try of a delivery's relays, with the first 500 bytes of each answer",
  args: [deliveryArg],
  examples: [['01jd3k8q2m']],
  async run(input) {
    const delivery = await resolveDelivery(input, input.args[0]!);
    const { repo } = input.services.forwarding;
    const [attempts, queued] = await Promise.all([repo.attempts({ endpointId: delivery.endpointId, deliveryId: delivery.id }), repo.queuedJobs(delivery.id)]);
    const waiting = queued.map((job) => describeQueued(job, input.services.now()));
    if (attempts.length === 0 && waiting.length === 0) return { title: `${delivery.id} was not relayed`, lines: [`Its endpoint forwarded nowhere when it arrived. ${input.ctx.format('replay', [delivery.id, '<url>'])} sends it somewhere now.`] };
    if (attempts.length === 0) return { title: `${delivery.id} has not been tried yet`, fields: waiting };
    const content = attempts.map(describeInFull).join('\n\n');
    return {
      title: `Relays of ${delivery.id}: ${attempts.length} ${attempts.length === 1 ? 'try' : 'tries'}`,
      lines: attempts.map((attempt) => `${formatTime(attempt.at)} · ${attempt.url} ${describeAttempt(attempt)}`),
      ...(waiting.length > 0 ? { fields: waiting } : {}),
      code: { language: 'http', content },
      attachment: { filename: `attempts-${delivery.id}.txt`, contentType: 'text/plain', bytes: Buffer.from(content), when: 'overflow' },
      buttons: [{ label: 'Replay', action: { command: 'replay', args: [delivery.id] } }],
    };
  },
};

/** A relay still in the queue: where it goes and when its next try is due (past due: behind the target's in-flight bound, or held while the target fails). */
function describeQueued(job: RelayJob, now: number): Field {
  const due = job.dueAt === undefined || job.dueAt <= now ? 'waiting its turn' : `due at ${formatTime(job.dueAt)}`;
  return { label: `Waiting: ${maskUrl(job.url)}`, value: `try ${job.tries + 1}, ${due}` };
}

/** A try with its answer: credential-looking headers masked as `headers` masks a delivery's, then the body's first bytes. */
function describeInFull(attempt: RelayAttempt): string {
  const head = attempt.status === undefined ? `# ${attempt.error ?? 'no answer'}` : `HTTP ${attempt.status} (${attempt.durationMs} ms)`;
  const headers = attempt.headers.map(([name, value]) => `${name}: ${isCredentialName(name) ? maskCredential(value) : value}`);
  return [`# ${formatTime(attempt.at)} ${attempt.url}`, head, ...headers, ...(attempt.excerpt ? ['', attempt.excerpt] : [])].join('\n');
}
