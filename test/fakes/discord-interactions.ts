/** INTERACTION_CREATE dispatches a test triggers: slash commands, autocomplete, button/select presses. */
import type { DiscordGateway } from './discord-gateway.ts';
import {
  commandData, customIdsOf, interactionBase, type CommandInvocation, type InteractionUserOptions, type World,
} from './discord-payloads.ts';
import type { DiscordRest } from './discord-rest.ts';
import type { ApplicationCommand, JsonObject } from './discord-types.ts';

export interface SlashCommandOptions extends CommandInvocation, InteractionUserOptions {
  /** Dispatch even if no such command was registered (real Discord cannot). Default false. */
  allowUnregistered?: boolean;
}

export interface ButtonPressOptions extends Omit<InteractionUserOptions, 'channelId'> {
  messageId: string;
  customId: string;
  /** Checked against the message's channel when given. */
  channelId?: string;
  /** For select menus: the chosen values. */
  values?: string[];
  /** Press a custom_id the message does not carry. Default false. */
  anyCustomId?: boolean;
}

export interface DispatchedInteraction {
  interactionId: string;
  token: string;
}

export class InteractionSender {
  constructor(private readonly world: World, private readonly rest: DiscordRest, private readonly gateway: () => DiscordGateway) {}

  /** A user runs `/name [group] [subcommand] options…`: INTERACTION_CREATE type 2, like Discord builds it. */
  slashCommand(opts: SlashCommandOptions): DispatchedInteraction {
    return this.dispatch(2, commandData(this.findCommand(opts), opts), opts);
  }

  /** A user types in option `focused`: INTERACTION_CREATE type 4 (APPLICATION_COMMAND_AUTOCOMPLETE). */
  autocomplete(opts: SlashCommandOptions & { focused: string }): DispatchedInteraction {
    return this.dispatch(4, commandData(this.findCommand(opts), opts, opts.focused), opts);
  }

  /** A user presses a button (or picks `values` in a select) on a stored message: INTERACTION_CREATE type 3. */
  pressButton(opts: ButtonPressOptions): DispatchedInteraction {
    const sent = this.rest.messages.get(opts.messageId);
    if (!sent || (opts.channelId !== undefined && sent.channelId !== opts.channelId)) {
      throw new Error(`DiscordFake.pressButton: no message ${opts.messageId}${opts.channelId ? ` in ${opts.channelId}` : ''}`);
    }
    const component = customIdsOf(sent.message).find((c) => c.customId === opts.customId);
    if (!component && !opts.anyCustomId) {
      throw new Error(`DiscordFake.pressButton: message ${opts.messageId} has no component "${opts.customId}"`);
    }
    const data = { custom_id: opts.customId, component_type: component?.type ?? 2, ...(opts.values ? { values: opts.values } : {}) };
    return this.dispatch(3, data, { ...opts, channelId: sent.channelId },
      { message: structuredClone(sent.message) }, sent.id);
  }

  private findCommand(opts: SlashCommandOptions): ApplicationCommand | undefined {
    const found = [...this.rest.guildCommands, ...this.rest.globalCommands].find((c) => c.name === opts.name && c.type === 1);
    if (!found && !opts.allowUnregistered) {
      throw new Error(`DiscordFake: /${opts.name} is not registered (register it first, or pass allowUnregistered)`);
    }
    return found;
  }

  private dispatch(type: number, data: JsonObject, opts: InteractionUserOptions, extra: JsonObject = {},
    sourceMessageId?: string): DispatchedInteraction {
    const channelId = opts.channelId ?? this.world.channelId;
    const { id, token, payload } = interactionBase(this.world, type, opts, this.rest.messages.lastIdIn(channelId));
    const user = (payload.member as JsonObject).user as JsonObject;
    this.rest.interactions.set(id, { id, token, type, channelId, createdAt: Date.now(), user,
      ...(sourceMessageId ? { sourceMessageId } : {}) });
    try {
      this.gateway().dispatch('INTERACTION_CREATE', { ...payload, data, ...extra });
    } catch (error) {
      this.rest.interactions.delete(id);
      throw error;
    }
    return { interactionId: id, token };
  }
}
