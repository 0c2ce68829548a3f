import { formatDuration, parseDuration } from '../domain/duration.ts';
import { EXPECT_MAX_MS, EXPECT_MIN_MS } from '../domain/expectation.ts';
import { endpointArg, UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const expectCommand: Command = {
  name: 'expect',
  audience: 'chat',
  summary: 'alert when an endpoint stays silent longer than usual',
  args: [endpointArg, { name: 'every', label: 'every|auto|off', kind: 'word', description: 'longest normal gap (1m to 30d), auto (learned) or off' }],
  examples: [['stripe', '1h'], ['github', 'auto'], ['stripe', 'off']],
  async run(input) {
    const { services, ctx } = input;
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const choice = input.args[1]!.toLowerCase();
    const { expectations, service } = services.alerts;
    const since = services.now();
    if (choice === 'off') {
      await expectations.clear(endpoint.id);
      for (const alert of service.openForEndpoint(endpoint.id)) if (alert.kind === 'silence') await service.resolve('silence', alert.subject, 'turning the expectation off');
      return { title: `No silence alerts for ${endpoint.name}`, tone: 'success', lines: [`Turn them on again with ${ctx.format('expect', [endpoint.name, '1h'])}.`] };
    }
    if (choice === 'auto') {
      await expectations.set(endpoint.id, { mode: 'auto', since });
      return {
        title: `Learning ${endpoint.name}'s cadence`,
        tone: 'success',
        lines: ["An alert here when an event type stays away much longer than it usually does (3 times its 95th-percentile gap, at least 10m). Event types seen fewer than 10 times are not judged yet."],
      };
    }
    const everyMs = parseDuration(choice);
    if (everyMs === undefined || everyMs < EXPECT_MIN_MS || everyMs > EXPECT_MAX_MS) {
      throw new UsageError(`"${input.args[1]}" is not a gap hookwatch watches: use 1m to 30d (e.g. ${ctx.format('expect', [endpoint.name, '1h'])}), auto or off.`);
    }
    await expectations.set(endpoint.id, { mode: 'every', everyMs, since });
    return { title: `Expecting ${endpoint.name} every ${formatDuration(everyMs)}`, tone: 'success', lines: [`An alert here when nothing arrives for ${formatDuration(everyMs)}.`] };
  },
};
