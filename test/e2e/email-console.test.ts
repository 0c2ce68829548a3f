import { afterAll, describe, expect, it } from 'vitest';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { followLink } from '../helpers/follow-link.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

describe('email digests in the service process, from the console chat', () => {
  let sink: SmtpSink | undefined;
  let service: SpawnedService | undefined;
  afterAll(async () => {
    await service?.stop('SIGKILL');
    await sink?.stop();
  });

  it('subscribes, confirms through the link and receives a preview', async () => {
    sink = await startSmtpSink();
    service = await spawnService({ DATABASE_URL: tempDatabaseUrl(), SMTP_URL: sink.url, DIGEST_TIMEZONE: 'Europe/Berlin', DIGEST_HOUR: '7' });
    service.send('new stripe');
    const url = (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/))[1]!;
    expect((await postFixture(url, fixtureNamed('stripe'))).status).toBe(200);

    let from = service.output().length;
    service.send('digest daily ops@example.com');
    await service.waitFor(/Check your inbox: ops@example\.com/, from);
    const [confirmation] = await sink.waitFor(1);
    const link = confirmation!.text!.match(/http:\/\/127\.0\.0\.1:\d+\/email\/confirm\/[\w-]+/)![0];
    expect((await followLink(link)).status).toBe(200);

    from = service.output().length;
    service.send('digest now');
    await service.waitFor(/Sending a preview to ops@example\.com/, from);
    const [, preview] = await sink.waitFor(2);
    expect(preview!.subject).toBe('[preview] hookwatch digest: 1 delivery on 1 endpoint');
    expect(preview!.text).toContain('hookwatch digest for the console chat');
    expect(preview!.text).toMatch(/C(E|ES)T/);
    expect(preview!.from?.text).toContain('hookwatch@localhost');
  });
});
