import { bitbucket } from './bitbucket.ts';
import { calendly } from './calendly.ts';
import { discord } from './discord.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import { hubspot } from './hubspot.ts';
import { intercom } from './intercom.ts';
import { jira } from './jira.ts';
import { lemonSqueezy } from './lemon-squeezy.ts';
import { linear } from './linear.ts';
import { mailgun } from './mailgun.ts';
import { paddle } from './paddle.ts';
import { paypal } from './paypal.ts';
import { postmark } from './postmark.ts';
import type { Provider } from './provider.ts';
import { sentry } from './sentry.ts';
import { sendgrid } from './sendgrid.ts';
import { shopify } from './shopify.ts';
import { slack } from './slack.ts';
import { square } from './square.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { stripe } from './stripe.ts';
import { twilio } from './twilio.ts';
import { typeform } from './typeform.ts';
import { vercel } from './vercel.ts';
import { zoom } from './zoom.ts';

/** Every known sender. A new provider is its own file plus one line here; on a tie, the earlier one wins. */
export const providers: readonly Provider[] = [
  stripe, github, gitlab, shopify, twilio, slack, paddle, linear, discord,
  zoom, sentry, vercel, bitbucket, jira, calendly, typeform, paypal, square, lemonSqueezy, intercom, mailgun, postmark, sendgrid, hubspot, standardWebhooks];
