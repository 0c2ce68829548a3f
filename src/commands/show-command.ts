import { idRef } from '../domain/endpoint.ts';
import { formatAgo, formatTime } from '../domain/format.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import { endpointArg, type Command } from './command.ts';
import { endpointUrl, expectationText, notificationState, sendFailure } from './endpoint-text.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const showCommand: Command = {
  name: 'show',
  audience: 'caller',
  summary: "one endpoint's details and settings",
  args: [endpointArg],
  examples: [['stripe']],
  async run(input) {
    const { services, ctx } = input;
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const [stored, rejected, newest, undelivered, sendError, expectation] = await Promise.all([
      services.deliveries.count(endpoint.id),
      services.deliveries.countRejections(endpoint.id),
      services.deliveries.newestId(endpoint.id),
      services.deliveries.undelivered(endpoint.id),
      services.sendErrors.get(endpoint.id),
      services.alerts.expectations.get(endpoint.id),
    ]);
    const now = services.now();
    const { maxDeliveries, maxDays } = services.retention;
    return {
      title: `Endpoint ${endpoint.name}`,
      fields: [
        { label: 'URL', value: endpointUrl(services, endpoint) },
        { label: 'Id', value: endpoint.id },
        { label: 'Created', value: formatTime(endpoint.createdAt) },
        { label: 'Notifications', value: notificationState(endpoint, now) },
        ...(sendError ? [{ label: 'Last notification', value: sendFailure(sendError) }] : []),
        { label: 'Signatures', value: endpoint.signingSecret ? 'verified (secret set)' : `not checked: ${ctx.format('secret', [endpoint.name, '<secret>'])}` },
        { label: 'Stored deliveries', value: `${stored} (the last ${maxDeliveries}, up to ${maxDays} days, are kept)` },
        { label: 'Rejected as too large', value: String(rejected) },
        ...(undelivered.latest
          ? [{ label: 'Notifications not delivered', value: `${undelivered.count}; the latest, of ${undelivered.latest.deliveryId} (${formatTime(undelivered.latest.at)}): ${undelivered.latest.reason}` }]
          : []),
        { label: 'Silence alerts', value: expectationText(expectation, endpoint.name, ctx.format) },
        { label: 'Last delivery', value: newest === undefined ? 'none yet' : `${formatTime(deliveryIdTime(newest))} (${formatAgo(deliveryIdTime(newest), now)})` },
      ],
      buttons: [
        { label: 'Last deliveries', action: { command: 'last', args: [idRef(endpoint)] } },
        { label: 'Mute 1h', action: { command: 'mute', args: [idRef(endpoint), '1h'] } },
      ],
      lines: [`Recent deliveries: ${ctx.format('last', [endpoint.name])}`],
    };
  },
};
