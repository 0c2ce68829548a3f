import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { pngHeader } from '../helpers/png-header.ts';
import { spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

describe('stats in the console chat of the running service', () => {
  let service: SpawnedService | undefined;
  afterAll(() => service?.stop('SIGKILL'));

  it('prints the figures as text and the path of the chart it saved under the data folder', async () => {
    const databaseUrl = tempDatabaseUrl();
    service = await spawnService({ DATABASE_URL: databaseUrl });
    service.send('new stripe');
    const url = (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/))[1]!;
    for (let i = 0; i < 3; i++) expect((await postFixture(url, fixtureNamed('stripe'))).status).toBe(200);
    await fetch(url, { method: 'POST', body: 'plain' });
    const from = service.output().length;
    service.send('stats stripe 24h');
    const [reply, path] = await service.waitFor(/== Stats \(stripe, last 24h\) ==[\s\S]*?\nChart: (\S+\.png)\n/, from);
    expect(reply).toContain('4 deliveries since ');
    expect(reply).toContain('0 rejected as too large (413) · 0 invalid signatures');
    expect(reply).toContain('payment_intent.succeeded: 3 (75%)');
    expect(reply).toContain('POST /: 1 (25%)');
    expect(dirname(path!)).toBe(join(dirname(databaseUrl.replace('sqlite://', '')), 'charts'));
    expect(pngHeader(readFileSync(path!))).toEqual({ width: 900, height: 450 });
  });
});
