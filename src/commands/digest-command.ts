import { formatTime } from '../domain/format.ts';
import type { MailLimit } from '../email/digest-subscriptions.ts';
import { UsageError, type Command } from './command.ts';

const SCHEDULES = ['hourly', 'daily', 'off', 'now'];
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export const digestCommand: Command = {
  name: 'digest',
  audience: 'caller',
  summary: "email digest of this chat's endpoints",
  args: [
    { name: 'schedule', label: 'hourly|daily|off|now', kind: 'choice', choices: SCHEDULES, description: 'how often (now: a preview at once)' },
    { name: 'email', kind: 'email', optional: true, description: 'where to send it' },
  ],
  examples: [['daily', 'me@example.com'], ['now'], ['off']],
  async run({ args, ctx, services }) {
    const schedule = args[0]!.toLowerCase();
    if (!SCHEDULES.includes(schedule)) throw new UsageError(`"${args[0]}" is not a schedule: use hourly, daily, off or now.`);
    const address = args[1];
    if (address !== undefined && (address.length > 254 || !EMAIL.test(address))) {
      throw new UsageError(`"${address}" is not an email address. Use one like ${ctx.format('digest', [schedule, 'me@example.com'])}.`);
    }
    const digests = services.digests;
    if (!digests) {
      return { title: 'Email digests are off on this server', tone: 'warning', lines: ['Whoever runs hookwatch can turn them on by setting SMTP_URL.'] };
    }
    const askForAddress = () => new UsageError(`Which address? For example: ${ctx.format('digest', [schedule, 'me@example.com'])}`);
    const confirmLater = (email: string, after: number) => ({
      title: `A confirmation went to ${email} a few minutes ago`,
      tone: 'info' as const,
      lines: [`If it was for this chat, its link still works. Otherwise ask again after ${formatTime(after)}: one confirmation mail per address every 10 minutes.`],
    });
    const checkInbox = (email: string, withdrawn: boolean) => ({
      title: `Check your inbox: ${email}`,
      tone: 'info' as const,
      lines: [
        ...(withdrawn ? ['This address unsubscribed: nothing goes to it again until it confirms the new link we just mailed.'] : []),
        'Click the link in the confirmation mail (valid 24 hours) to start receiving digests there. Nothing is sent to the address before that.',
      ],
    });
    const mailLimited = (limit: MailLimit) =>
      limit.kind === 'confirm-later'
        ? confirmLater(limit.email, limit.after)
        : {
            title: `This chat asked for ${limit.max} confirmation mails in the last hour`,
            tone: 'warning' as const,
            lines: [`Ask again after ${formatTime(limit.after)}: at most ${limit.max} an hour per chat, so hookwatch cannot be used to flood inboxes.`],
          };

    if (schedule === 'off') {
      const was = await digests.off(ctx.chat);
      if (!was) return { title: 'No digest to turn off', tone: 'info', lines: [`Start one with ${ctx.format('digest', ['daily', 'me@example.com'])}.`] };
      return { title: 'Email digest off', tone: 'success', lines: [`No more digests for this chat${was.email ? ` to ${was.email}` : ''}.`] };
    }
    if (schedule === 'now') {
      const result = await digests.preview(ctx.chat, address);
      if (result.kind === 'no-address') throw askForAddress();
      if (result.kind === 'not-confirmed') return checkInbox(result.email, result.withdrawn);
      if (result.kind === 'confirm-later' || result.kind === 'chat-limit') return mailLimited(result);
      if (result.kind === 'other-address') {
        throw new UsageError(`This chat's digest goes to ${result.email}; a preview goes there too. To change the address: ${ctx.format('digest', ['daily', '<address>'])}`);
      }
      return {
        title: `Sending a preview to ${result.email}`,
        tone: 'success',
        lines: [`It covers ${formatTime(result.start)} until now; the period stays open, so the regular digest still comes.`],
      };
    }
    const choice = await digests.choose(ctx.chat, schedule as 'hourly' | 'daily', address);
    if (choice.kind === 'no-address') throw askForAddress();
    if (choice.kind === 'confirm') return checkInbox(choice.email, choice.withdrawn);
    if (choice.kind === 'confirm-later' || choice.kind === 'chat-limit') return mailLimited(choice);
    return {
      title: `${choice.schedule === 'hourly' ? 'Hourly' : 'Daily'} email digest on`,
      tone: 'success',
      lines: [
        `This chat's activity goes to ${choice.email} ${choice.schedule === 'hourly' ? 'at the top of every hour' : 'once a day'}, when there was any.`,
        `${ctx.format('digest', ['now'])} sends a preview; ${ctx.format('digest', ['off'])} stops it.`,
      ],
    };
  },
};
