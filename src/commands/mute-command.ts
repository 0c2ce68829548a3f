import { formatDuration, parseDuration } from '../domain/duration.ts';
import { idRef } from '../domain/endpoint.ts';
import { formatTime } from '../domain/format.ts';
import { endpointArg, UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const muteCommand: Command = {
  name: 'mute',
  audience: 'chat',
  summary: 'stop notifications (deliveries are still stored)',
  args: [
    endpointArg,
    { name: 'duration', kind: 'duration', optional: true, rest: true, description: 'e.g. 30m, 1.5h, 90 min, 1d (default: until unmuted)' },
  ],
  examples: [['stripe', '2h'], ['github']],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const text = input.args[1];
    const duration = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && duration === undefined) throw new UsageError(`"${text}" is not a duration. Use e.g. 30m, 1.5h, 90 min or 1d (at most 365d).`);
    const mutedUntil = duration === undefined ? 'forever' : input.services.now() + duration;
    await input.services.endpoints.save({ ...endpoint, mutedUntil });
    const until = mutedUntil === 'forever' ? `until you ${input.ctx.format('unmute', [endpoint.name])}` : `for ${formatDuration(duration!)} (until ${formatTime(mutedUntil)})`;
    return {
      title: `${endpoint.name} muted`,
      tone: 'success',
      lines: [`No notifications ${until}. Deliveries are still stored: ${input.ctx.format('last', [endpoint.name])}.`],
      buttons: [{ label: 'Unmute', action: { command: 'unmute', args: [idRef(endpoint)] } }],
    };
  },
};
