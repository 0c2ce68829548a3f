/**
 * What a delivery's head (its JSON without the body) is mostly made of: the field names, common request
 * headers and webhook senders' own, in the case senders write them and as Node's fetch does. A preset
 * dictionary for deflate, so a 600-byte head packs to about half the size it does alone.
 *
 * FROZEN: every stored row of the delivery codec's format 3 was deflated with exactly these bytes and
 * inflates only with them. A different dictionary needs a new format byte (and this one kept to read
 * the rows already stored). test/unit/delivery-codec.test.ts decodes a row stored with it.
 */
export const DELIVERY_HEAD_DICTIONARY = Buffer.from(
  [
    '["X-Forwarded-For","],["X-Forwarded-Proto","https"],["X-Forwarded-Host","],["X-Real-Ip","],["Cf-Connecting-Ip","],["Traceparent","00-',
    '["x-forwarded-for","],["x-forwarded-proto","https"],["x-forwarded-host","],["x-real-ip","],["cf-connecting-ip","],["traceparent","00-',
    '["Accept","*/*"],["Accept-Encoding","gzip"],["accept","*/*"],["accept-encoding","gzip, deflate"],["X-Request-Id","],["x-request-id","],',
    '["x-hubspot-signature-v3","],["x-hubspot-request-timestamp","],["x-zm-signature","v0=],["x-zm-request-timestamp","],["x-vercel-signature","],',
    '["x-square-hmacsha256-signature","],["x-signature-ed25519","],["x-signature-timestamp","],["x-slack-signature","v0=],["x-slack-request-timestamp","],',
    '["Typeform-Signature","sha256=],["Paddle-Signature","ts=;h1=],["Linear-Signature","],["X-Atlassian-Webhook-Identifier","],["X-Event-Key","repo:push"],["X-Hook-UUID","],',
    '["svix-id","msg_],["svix-timestamp","],["svix-signature","v1,],["webhook-id","msg_],["webhook-timestamp","],["webhook-signature","v1,],',
    '["X-Shopify-Topic","orders/create"],["X-Shopify-Hmac-Sha256","],["X-Shopify-Shop-Domain",".myshopify.com"],["X-Shopify-Webhook-Id","],["X-Shopify-Api-Version","],',
    '["X-Twilio-Signature","],["I-Twilio-Idempotency-Token","],["X-Gitlab-Event","Push Hook"],["X-Gitlab-Token","],["X-Gitlab-Event-UUID","],["X-Gitlab-Instance","https://gitlab.com"],',
    '["Stripe-Signature","t=,v1=],["stripe-signature","t=,v1=],["User-Agent","Stripe/1.0 (+https://stripe.com/docs/webhooks)"],["Content-Type","application/json; charset=utf-8"],',
    '["X-GitHub-Hook-Installation-Target-Type","repository"],["X-GitHub-Hook-Installation-Target-ID","],["X-GitHub-Hook-ID","],["X-GitHub-Delivery","],["X-GitHub-Event","push"],',
    '["X-Hub-Signature","sha1=],["X-Hub-Signature-256","sha256=],["User-Agent","GitHub-Hookshot/],["Content-Type","application/json"],["Content-Length","],["Host","],',
    '["x-github-event","push"],["x-github-delivery","],["x-github-hook-id","],["x-hub-signature-256","sha256=],["user-agent","GitHub-Hookshot/],',
    '["content-type","application/x-www-form-urlencoded"],["content-type","application/json; charset=utf-8"],',
    '"decodedFrom":"gzip","analysis":{"provider":"generic","providerName":"","event":"","eventId":"","summary":"","signature":{"status":"valid"}}}',
    '"signature":{"status":"unsigned"}}}"signature":{"status":"invalid","reason":"',
    '"size":,"sourceIp":"127.0.0.1","analysis":{"provider":"stripe","providerName":"Stripe","event":"","eventId":"evt_","summary":"","signature":{"status":"unverified"}}}',
    '"size":,"sourceIp":"","analysis":{"provider":"github","providerName":"GitHub","event":"","eventId":"","summary":"","signature":{"status":"unverified"}}}',
    '{"id":"","endpointId":"","receivedAt":1,"method":"POST","subPath":"","query":"","headers":[["host","],["connection","keep-alive"],["content-type","application/json"],["content-length","',
  ].join(''),
);
