import type { Command } from '../../commands/command.ts';
import { SLACK_COMMAND, SLACK_EVENTS_PATH } from './slack-channel.ts';

/**
 * The Slack app manifest, generated from the command list so the slash command's hint cannot
 * drift from what the commands accept. Paste it at api.slack.com/apps -> Create New App -> From a manifest.
 */
export function buildSlackManifest(publicUrl: string, commands: Command[]) {
  const url = `${publicUrl}${SLACK_EVENTS_PATH}`;
  return {
    display_information: { name: 'hookwatch', description: 'Webhook deliveries in your channels, seconds after they arrive' },
    features: {
      bot_user: { display_name: 'hookwatch', always_online: true },
      slash_commands: [
        {
          command: SLACK_COMMAND,
          url,
          description: 'Create, mute and inspect webhook endpoints',
          usage_hint: commands.map((command) => command.name).join(' | '),
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: ['commands', 'chat:write', 'chat:write.public', 'files:write'] } },
    settings: {
      interactivity: { is_enabled: true, request_url: url },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
