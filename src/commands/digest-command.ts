import { UsageError, type Command } from './command.ts';

const SCHEDULES = ['hourly', 'daily', 'off'];

export const digestCommand: Command = {
  name: 'digest',
  audience: 'caller',
  summary: "email digest of this chat's endpoints",
  args: [
    { name: 'schedule', label: 'hourly|daily|off', kind: 'choice', choices: SCHEDULES, description: 'how often' },
    { name: 'email', kind: 'email', optional: true, description: 'where to send it' },
  ],
  examples: [['daily', 'me@example.com'], ['off']],
  async run({ args, services }) {
    const schedule = args[0]!.toLowerCase();
    if (!SCHEDULES.includes(schedule)) throw new UsageError(`"${args[0]}" is not a schedule: use hourly, daily or off.`);
    if (args[1] !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(args[1])) throw new UsageError(`"${args[1]}" is not an email address.`);
    if (!services.emailEnabled) {
      return { title: 'Email digests are off on this server', tone: 'warning', lines: ['Whoever runs hookwatch can turn them on by setting SMTP_URL.'] };
    }
    throw new UsageError('Email digests are not available in this version of hookwatch.');
  },
};
