import type { Message } from '../domain/message.ts';
import { answerChanges } from '../watches/build-watch-message.ts';
import { deliveryArg, UsageError, type Command } from './command.ts';
import { resolveDelivery } from './resolve-delivery.ts';

export const diffCommand: Command = {
  name: 'diff',
  audience: 'caller',
  summary: "everything that changed in a watched API's answer (as a file when it does not fit a message)",
  args: [deliveryArg],
  examples: [['01jd3k8q2m']],
  async run(input) {
    const { services } = input;
    const delivery = await resolveDelivery(input, input.args[0]!);
    const { repo } = services.watches;
    const [watch, isAnswer, previousId] = await Promise.all([repo.get(delivery.endpointId), repo.isAnswer(delivery.endpointId, delivery.id), repo.previousAnswer(delivery.endpointId, delivery.id)]);
    if (!watch || !isAnswer) throw new UsageError(`${delivery.id} is not an answer of a watched API: only those have a diff.`);
    const previous = previousId && (await services.deliveries.get({ endpointId: delivery.endpointId, deliveryId: previousId }));
    if (!previous) return { title: `Diff of ${delivery.id}`, lines: [previousId ? 'The previous answer is no longer stored (retention).' : 'This is the first answer (the baseline): nothing to compare it with.'] };
    const text = answerChanges(watch, previous, delivery).join('\n');
    const message: Message = {
      title: `Diff of ${delivery.id} against ${previous.id}`,
      code: { language: 'text', content: text },
      attachment: { filename: `diff-${delivery.id}.txt`, contentType: 'text/plain', bytes: Buffer.from(text), when: 'overflow' },
    };
    return message;
  },
};
