import { deliveryBody, type Delivery } from '../domain/delivery.ts';
import type { Attachment } from '../domain/message.ts';
import { viewBody } from '../notify/body-view.ts';
import { deliveryArg, type Command } from './command.ts';
import { endpointUrl } from './endpoint-text.ts';
import { isCredentialHeader } from './mask-credential.ts';
import { resolveDelivery } from './resolve-delivery.ts';

/** Headers that describe this hop or the encoding we already undid, not the request. */
const NOT_REPLAYED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'content-encoding', 'keep-alive', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip']);

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
    const url = `${base}${delivery.subPath}${delivery.query ? `?${delivery.query}` : ''}`;
    const binary = viewBody(delivery).kind === 'binary';
    const bodyFile = `payload-${delivery.id}.bin`;
    const credentials = delivery.headers.filter(([name]) => isCredentialHeader(name) && !NOT_REPLAYED.has(name.toLowerCase()));
    const parts = [`curl -X ${delivery.method} ${quote(url)}`, ...delivery.headers.filter(([name]) => !NOT_REPLAYED.has(name.toLowerCase())).map(headerArg)];
    if (delivery.size > 0) parts.push(binary ? `--data-binary @${bodyFile}` : `--data-binary ${quote(deliveryBody(delivery).toString('utf8'))}`);
    const content = parts.join(' \\\n  ');
    const attachment: Attachment = binary
      ? { filename: bodyFile, contentType: 'application/octet-stream', bytes: deliveryBody(delivery), when: 'always' }
      : { filename: `replay-${delivery.id}.sh`, contentType: 'text/x-shellscript', bytes: Buffer.from(`${content}\n`), when: 'overflow' };
    const lines = ['Replays the request to this endpoint; change the URL to send it elsewhere.'];
    if (credentials.length > 0) lines.push(`Credentials are not shown in chat: set ${credentials.map(([name]) => shellName(name)).join(', ')} first.`);
    if (binary) lines.push(`The body is binary: save the attached file as ${bodyFile} next to where you run it.`);
    return { title: `Replay ${delivery.id}`, lines, code: { language: 'shell', content }, attachment };
  },
};

function headerArg([name, value]: [string, string]): string {
  return isCredentialHeader(name) ? `-H "${name}: $${shellName(name)}"` : `-H ${quote(`${name}: ${value}`)}`;
}

function shellName(header: string): string {
  return header.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** POSIX single quotes: everything literal, a quote closed, escaped, reopened. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
