import { deliveryBody } from '../domain/delivery.ts';
import { formatBytes } from '../domain/format.ts';
import type { Message } from '../domain/message.ts';
import { viewBody } from '../notify/body-view.ts';
import { deliveryArg, type Command } from './command.ts';
import { resolveDelivery } from './resolve-delivery.ts';

export const payloadCommand: Command = {
  name: 'payload',
  audience: 'caller',
  summary: 'the whole body (as a file when it does not fit a message)',
  args: [deliveryArg],
  examples: [['01jd3k8q2m']],
  async run(input) {
    const delivery = await resolveDelivery(input, input.args[0]!);
    const view = viewBody(delivery);
    const bytes = deliveryBody(delivery);
    const base: Message = { title: `Payload of ${delivery.id}`, lines: [`${formatBytes(delivery.size)}`] };
    if (view.kind === 'empty') return { ...base, lines: ['Empty body.'] };
    if (view.kind === 'binary') {
      return { ...base, lines: [`Binary body, ${formatBytes(view.size)}: sent as a file.`], attachment: file(delivery.id, 'bin', 'application/octet-stream', bytes, 'always') };
    }
    const isJson = view.kind === 'json';
    return {
      ...base,
      code: { language: isJson ? 'json' : 'text', content: view.text },
      attachment: file(delivery.id, isJson ? 'json' : 'txt', isJson ? 'application/json' : 'text/plain', bytes, 'overflow'),
    };
  },
};

function file(id: string, extension: string, contentType: string, bytes: Buffer, when: 'always' | 'overflow') {
  return { filename: `payload-${id}.${extension}`, contentType, bytes, when };
}
