import { describeAttempt, type RelayAttempt } from '../domain/forward-target.ts';
import { formatTime } from '../domain/format.ts';
import { isCredentialName } from '../domain/is-credential-name.ts';
import { maskCredential } from '../domain/mask-credential.ts';
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
    const attempts = await input.services.forwarding.repo.attempts({ endpointId: delivery.endpointId, deliveryId: delivery.id });
    if (attempts.length === 0) return { title: `${delivery.id} was not relayed`, lines: [`Its endpoint forwarded nowhere when it arrived. ${input.ctx.format('replay', [delivery.id, '<url>'])} sends it somewhere now.`] };
    const content = attempts.map(describeInFull).join('\n\n');
    return {
      title: `Relays of ${delivery.id}: ${attempts.length} ${attempts.length === 1 ? 'try' : 'tries'}`,
      lines: attempts.map((attempt) => `${formatTime(attempt.at)} · ${attempt.url} ${describeAttempt(attempt)}`),
      code: { language: 'http', content },
      attachment: { filename: `attempts-${delivery.id}.txt`, contentType: 'text/plain', bytes: Buffer.from(content), when: 'overflow' },
      buttons: [{ label: 'Replay', action: { command: 'replay', args: [delivery.id] } }],
    };
  },
};

/** A try with its answer: credential-looking headers masked as `headers` masks a delivery's, then the body's first bytes. */
function describeInFull(attempt: RelayAttempt): string {
  const head = attempt.status === undefined ? `# ${attempt.error ?? 'no answer'}` : `HTTP ${attempt.status} (${attempt.durationMs} ms)`;
  const headers = attempt.headers.map(([name, value]) => `${name}: ${isCredentialName(name) ? maskCredential(value) : value}`);
  return [`# ${formatTime(attempt.at)} ${attempt.url}`, head, ...headers, ...(attempt.excerpt ? ['', attempt.excerpt] : [])].join('\n');
}
