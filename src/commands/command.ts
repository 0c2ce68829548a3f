import type { ChatRef } from '../domain/chat.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import type { SampleRequest } from '../samples/sample-request.ts';
import type { Message } from '../domain/message.ts';
import type { AlertService } from '../alerts/create-alert-service.ts';
import type { DigestSubscriptions } from '../email/digest-subscriptions.ts';
import type { Forwarding } from '../forward/create-forwarding.ts';
import type { AlertRepository } from '../store/alert-repository.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { FindRepository } from '../store/find-repository.ts';
import type { SendErrorRepository } from '../store/send-error-repository.ts';
import type { ExpectationRepository } from '../store/expectation-repository.ts';
import type { WatchRepository } from '../store/watch-repository.ts';

/** How a platform writes a command: `/mute stripe 1h`, `/hook mute stripe 1h`, `mute stripe 1h`. */
export type CommandFormatter = (name: string, args?: string[]) => string;

export interface CommandContext {
  chat: ChatRef;
  format: CommandFormatter;
}

export interface CommandServices {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  find: FindRepository;
  sendErrors: SendErrorRepository;
  publicUrl: string;
  retention: { maxDeliveries: number; maxDays: number };
  emailEnabled: boolean;
  /** Set when email digests are on (SMTP_URL). */
  digests?: DigestSubscriptions;
  alerts: { repo: AlertRepository; expectations: ExpectationRepository; service: AlertService };
  /** Posts a request to one of the chat's endpoints through this process's own receiver (`sample`). */
  sendToEndpoint: (endpoint: Endpoint, request: SampleRequest) => Promise<{ status: number }>;
  forwarding: Forwarding;
  /** API watches; `allowPrivate` is FORWARD_ALLOW_PRIVATE (the poll's agent enforces it too, at connect time). */
  watches: { repo: WatchRepository; allowPrivate: boolean };
  now: () => number;
}

export interface CommandInput {
  args: string[];
  ctx: CommandContext;
  services: CommandServices;
}

export interface ArgSpec {
  /** Lower-case word: also the option name on platforms with typed options. */
  name: string;
  /** How usage lines show it when that differs from the name (`hourly|daily|off|now`). */
  label?: string;
  optional?: boolean;
  /** The last argument only: it takes the rest of the line, words and all (`mute stripe 1 h`). */
  rest?: boolean;
  /** Lets platforms with typed options (Discord) offer the chat's endpoints. */
  kind: 'endpoint' | 'delivery' | 'name' | 'duration' | 'count' | 'choice' | 'email' | 'word';
  choices?: string[];
  description: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Who should see the reply where a platform can choose: the whole chat, or only the caller. */
  audience: 'chat' | 'caller';
  args: ArgSpec[];
  examples: string[][];
  run(input: CommandInput): Promise<Message>;
}

/** A mistake by the person typing: shown to them as a short, helpful reply. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function usageOf(command: Command, format: CommandFormatter): string {
  return format(command.name, command.args.map((arg) => (arg.optional ? `[${arg.label ?? arg.name}]` : `<${arg.label ?? arg.name}>`)));
}

/** The two arguments most commands take, described once. */
export const endpointArg: ArgSpec = { name: 'endpoint', kind: 'endpoint', description: 'endpoint name or id' };
/** For commands that look at one endpoint or, without it, all of the chat's (`last`, `find`, `stats`). */
export const someEndpointArg: ArgSpec = { name: 'endpoint', kind: 'endpoint', optional: true, description: 'only this endpoint (default: all of this chat)' };
export const deliveryArg: ArgSpec = { name: 'delivery', kind: 'delivery', description: 'delivery id (or its start)' };
