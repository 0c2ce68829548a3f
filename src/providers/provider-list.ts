import { discord } from './discord.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import { linear } from './linear.ts';
import { paddle } from './paddle.ts';
import type { Provider } from './provider.ts';
import { shopify } from './shopify.ts';
import { slack } from './slack.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { stripe } from './stripe.ts';
import { twilio } from './twilio.ts';

/** Every known sender. A new provider is its own file plus one line here; on a tie, the earlier one wins. */
export const providers: readonly Provider[] = [stripe, github, gitlab, shopify, twilio, slack, paddle, linear, discord, standardWebhooks];
