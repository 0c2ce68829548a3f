import type { Delivery } from '../domain/delivery.ts';
import { formatTime } from '../domain/format.ts';
import { isCredentialName } from '../domain/is-credential-name.ts';
import { maskCredential } from '../domain/mask-credential.ts';
import { maskQuery } from '../domain/mask-query.ts';
import { deliveryArg, type Command } from './command.ts';
import { resolveDelivery } from './resolve-delivery.ts';

export const headersCommand: Command = {
  name: 'headers',
  audience: 'caller',
  summary: 'the request line, query and headers (credentials masked)',
  args: [deliveryArg],
  examples: [['01jd3k8q2m']],
  async run(input) {
    const delivery = await resolveDelivery(input, input.args[0]!);
    const content = requestHead(delivery);
    return {
      title: `Headers of ${delivery.id}`,
      fields: [
        { label: 'Received', value: formatTime(delivery.receivedAt) },
        { label: 'From', value: delivery.sourceIp || 'unknown' },
        ...(delivery.decodedFrom ? [{ label: 'Body', value: `arrived ${delivery.decodedFrom}-encoded, stored decoded` }] : []),
      ],
      code: { language: 'http', content },
      attachment: { filename: `headers-${delivery.id}.txt`, contentType: 'text/plain', bytes: Buffer.from(content), when: 'overflow' },
    };
  },
};

/** The request as it arrived, credential-looking header and query values masked (stored unmasked). */
function requestHead(delivery: Delivery): string {
  const target = `/wh/…${delivery.subPath}${delivery.query ? `?${maskQuery(delivery.query)}` : ''}`;
  const lines = delivery.headers.map(([name, value]) => `${name}: ${isCredentialName(name) ? maskCredential(value) : value}`);
  return [`${delivery.method} ${target}`, ...lines].join('\n');
}
