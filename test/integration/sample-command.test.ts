import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

describe('sample through the running service', () => {
  let service: TestService;
  afterEach(() => service.stop());

  it("posts a signed sample through the receiver, and its notification says the signature is valid; a second is no duplicate", async () => {
    const recorder = createRecordingChannel();
    service = await startTestService(testConfig(), [recorder.channel]);
    await say(service, 'new shop');
    await say(service, 'secret shop whsec_live_secret');
    const reply = await say(service, 'sample shop stripe');
    expect(reply.title).toBe('Sample stripe delivery sent to shop');
    expect(reply.lines).toEqual(["The endpoint answered 200; its notification follows like any delivery's.", "Signed with the endpoint's secret."]);
    await say(service, 'sample shop stripe charge.refunded');
    await recorder.waitFor(2);
    const [first, second] = recorder.sent.map((sent) => sent.message.lines?.[0]);
    expect(first).toMatch(/^Stripe · payment_intent\.succeeded · .* · signature valid$/);
    expect(second).toMatch(/^Stripe · charge\.refunded .*signature valid$/);
    expect(recorder.sent.flatMap((sent) => sent.message.lines ?? []).join('\n')).not.toContain('Duplicate of');
    expect((await say(service, 'last shop')).lines).toHaveLength(2);
  });

  it('says a sample is unsigned without a secret, and names the samples it has for an unknown sender', async () => {
    const recorder = createRecordingChannel();
    service = await startTestService(testConfig(), [recorder.channel]);
    await say(service, 'new gh');
    expect((await say(service, 'sample gh github pull_request')).lines?.[1]).toBe('Unsigned: the endpoint has no secret (secret gh <secret>).');
    await recorder.waitFor(1);
    expect(recorder.sent[0]!.message.lines?.[0]).toMatch(/^GitHub · pull_request/);
    expect((await say(service, 'sample gh bitbucket')).title).toBe('No sample for "bitbucket". Samples: stripe, github, gitlab, shopify, standard-webhooks.');
    expect((await say(service, 'sample gh github $(reboot)')).title).toBe('An event type is at most 100 letters, digits and . _ : / - or spaces.');
  });
});
