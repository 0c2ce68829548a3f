/**
 * What Slack sends TO the service: signed HTTP requests carrying slash commands (form fields), interactive
 * payloads (`payload=<JSON>`) and Events API callbacks (JSON). Shapes as in research platforms.md §3.2-3.3 and
 * docs.slack.dev "Verifying requests from Slack": `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:ts:body"))`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SlackMessage } from './slack-types.ts';

export interface SigningOptions {
  /** Unix seconds for `X-Slack-Request-Timestamp` (default now; Bolt rejects ones older than 300 s). */
  timestamp?: number;
  /** Sign with another secret (default the fake's), e.g. to prove the service rejects forgeries. */
  secret?: string;
}

/** The two signing headers for exactly these body bytes. */
export function slackSignatureHeaders(secret: string, body: string, ts = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': `v0=${signature}` };
}

/** POSTs `body` as Slack does: its user agent, the exact content type (Bolt compares it with ===), signed. */
export function signedFetch(
  url: string,
  body: string,
  contentType: string,
  secret: string,
  opts: SigningOptions = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...slackSignatureHeaders(opts.secret ?? secret, body, opts.timestamp),
    },
    body,
  });
}

/** What a signed delivery to the service produced: its HTTP answer (body already read) and the ids it carried. */
export interface SlackDelivery {
  response: Response;
  status: number;
  body: string;
  triggerId: string;
  responseUrl: string;
  responseId: string;
}

/** POSTs a signed form body and reads the answer (Bolt's ack() body, if any). */
export async function deliverForm(
  url: string,
  body: string,
  secret: string,
  opts: SigningOptions,
  ids: { triggerId: string; responseUrl: string; responseId: string },
): Promise<SlackDelivery> {
  const response = await signedFetch(url, body, 'application/x-www-form-urlencoded', secret, opts);
  return { response, status: response.status, body: await response.text(), ...ids };
}

/** Who the fake's workspace is, for payloads. */
export interface Workspace {
  teamId: string;
  teamDomain: string;
  appId: string;
  /** The deprecated verification token Slack still puts in every payload. */
  verificationToken: string;
}

export interface SlashCommandOptions extends SigningOptions {
  /** Default `/hook`. */
  command?: string;
  text?: string;
  /** Default `C0FAKECHAN1`. */
  channelId?: string;
  /** Default `general`. */
  channelName?: string;
  /** Default `U0FAKEUSER1`. */
  userId?: string;
  /** Default `alice`. */
  userName?: string;
  enterpriseId?: string;
}

export interface ButtonPressOptions extends SigningOptions {
  channelId: string;
  messageTs: string;
  actionId: string;
  /** Default: the pressed button's value in the stored message. */
  value?: string;
  /** Default: the pressed button's block's block_id in the stored message. */
  blockId?: string;
  /** Default `U0FAKEUSER1`. */
  userId?: string;
  /** Default `alice`. */
  userName?: string;
  /** Default `general`. */
  channelName?: string;
  /** Press a button the stored message does not have (or a message the fake never saw); default false. */
  anyAction?: boolean;
}

/** Slack's `x.y` timestamps: seconds and microseconds. */
export function slackTs(microseconds: number): string {
  return `${Math.floor(microseconds / 1e6)}.${String(microseconds % 1e6).padStart(6, '0')}`;
}

export const nowMicros = () => Date.now() * 1000 + Math.floor(Math.random() * 1000);

/** A trigger_id in Slack's shape, e.g. `10000000001.738474920.8088930838d88f008e0cb8a12f6fd53c`. */
export function newTriggerId(seq: number): string {
  return `${10_000_000_000 + seq}.738474920.${randomBytes(16).toString('hex')}`;
}

/** The form Slack POSTs for a slash command, fields in Slack's order. */
export function slashCommandForm(
  ws: Workspace,
  opts: SlashCommandOptions,
  responseUrl: string,
  triggerId: string,
): Record<string, string> {
  return {
    token: ws.verificationToken,
    team_id: ws.teamId,
    team_domain: ws.teamDomain,
    ...(opts.enterpriseId ? { enterprise_id: opts.enterpriseId, enterprise_name: 'Fake Enterprise' } : {}),
    channel_id: opts.channelId ?? 'C0FAKECHAN1',
    channel_name: opts.channelName ?? 'general',
    user_id: opts.userId ?? 'U0FAKEUSER1',
    user_name: opts.userName ?? 'alice',
    command: opts.command ?? '/hook',
    text: opts.text ?? '',
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

/** The button element `actionId` inside `message`, with its block's id. */
export function findButton(
  message: SlackMessage | undefined,
  actionId: string,
): { element: Record<string, unknown>; blockId: string | undefined } | undefined {
  for (const block of (message?.blocks ?? []) as Array<Record<string, unknown>>) {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of elements as Array<Record<string, unknown> | undefined>) {
      if (element?.type === 'button' && element.action_id === actionId) {
        return { element, blockId: block.block_id as string | undefined };
      }
    }
  }
  return undefined;
}

/** A `block_actions` payload for a button press on a message in a channel. */
export function blockActionsPayload(
  ws: Workspace,
  opts: ButtonPressOptions,
  message: SlackMessage | undefined,
  responseUrl: string,
  triggerId: string,
): Record<string, unknown> {
  const button = findButton(message, opts.actionId);
  if (!button && !opts.anyAction) {
    throw new Error(
      `SlackFake.pressButton: ${message ? 'message' : 'no stored message'} ${opts.channelId}/${opts.messageTs}` +
        `${message ? ` has no button with action_id "${opts.actionId}"` : ''} (pass anyAction: true to press anyway)`,
    );
  }
  const userId = opts.userId ?? 'U0FAKEUSER1';
  const userName = opts.userName ?? 'alice';
  const text = button?.element.text ?? { type: 'plain_text', text: 'Button', emoji: true };
  return {
    type: 'block_actions',
    user: { id: userId, username: userName, name: userName, team_id: ws.teamId },
    api_app_id: ws.appId,
    token: ws.verificationToken,
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channelId, is_ephemeral: false },
    trigger_id: triggerId,
    team: { id: ws.teamId, domain: ws.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: opts.channelId, name: opts.channelName ?? 'general' },
    message: message ?? { type: 'message', ts: opts.messageTs, text: '' },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: opts.actionId,
        block_id: opts.blockId ?? button?.blockId ?? 'fake0',
        text,
        value: opts.value ?? button?.element.value,
        ...(button?.element.style !== undefined ? { style: button.element.style } : {}),
        type: 'button',
        action_ts: slackTs(nowMicros()),
      },
    ],
  };
}

/** An Events API `event_callback` envelope around `event`. */
export function eventCallback(ws: Workspace, botUserId: string, event: Record<string, unknown>, seq: number) {
  return {
    token: ws.verificationToken,
    team_id: ws.teamId,
    api_app_id: ws.appId,
    event: { event_ts: slackTs(nowMicros()), ...event },
    type: 'event_callback',
    event_id: `Ev${String(seq).padStart(9, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ws.teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-fake-${seq}`,
  };
}
