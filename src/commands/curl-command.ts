import { deliveryBody } from '../domain/delivery.ts';
import type { Attachment } from '../domain/message.ts';
import { viewBody } from '../notify/body-view.ts';
import { deliveryArg, type Command } from './command.ts';
import { curlReplay } from './curl-replay.ts';
import { endpointUrl } from './endpoint-text.ts';
import { resolveDelivery } from './resolve-delivery.ts';

export const curlCommand: Command = {
  name: 'curl',
  audience: 'caller',
  summary: 'a curl command line that replays the request',
  args: [deliveryArg],
  examples: [['01jd3k8q2m']],
  async run(input) {
    const delivery = await resolveDelivery(input, input.args[0]!);
    const endpoint = await input.services.endpoints.get(delivery.endpointId);
    const base = endpoint ? endpointUrl(input.services, endpoint) : `${input.services.publicUrl}/wh/…`;
    const binary = viewBody(delivery).kind === 'binary';
    const bodyFile = `payload-${delivery.id}.bin`;
    const { command, variables } = curlReplay(delivery, base, binary ? bodyFile : undefined);
    // The shebang: `$'…'` (bytes that are not printable text) is bash, not dash's `sh`.
    const attachment: Attachment = binary
      ? { filename: bodyFile, contentType: 'application/octet-stream', bytes: deliveryBody(delivery), when: 'always' }
      : { filename: `replay-${delivery.id}.sh`, contentType: 'text/x-shellscript', bytes: Buffer.from(`#!/usr/bin/env bash\n${command}\n`), when: 'overflow' };
    const lines = ['Replays the request to this endpoint; change the URL to send it elsewhere.'];
    if (variables.length > 0) lines.push(`Credentials are not shown in chat: set ${variables.join(', ')} first.`);
    if (binary) lines.push(`The body is binary: save the attached file as ${bodyFile} next to where you run it.`);
    return { title: `Replay ${delivery.id}`, lines, code: { language: 'shell', content: command }, attachment };
  },
};
