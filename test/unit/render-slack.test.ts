import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSlackManifest } from '../../src/channels/slack/slack-manifest.ts';
import { escapeMrkdwn, MESSAGE_BLOCKS_MAX, MODAL_BLOCKS_MAX, renderSlack, SECTION_TEXT_MAX } from '../../src/channels/slack/render-slack.ts';
import { commandList } from '../../src/commands/command-list.ts';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import { buildNotification } from '../../src/notify/build-notification.ts';
import { fixtureBytes, fixtureNamed } from '../helpers/fixtures.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'signup', owner: { platform: 'slack', chatId: 'C1' }, createdAt: 0, mutedUntil: null };

function deliveryOf(body: Buffer): Delivery {
  return { id: '01jd3k8q2m000000', endpointId: endpoint.id, receivedAt: 0, method: 'POST', subPath: '/<!here>', query: '', headers: [['content-type', 'application/json']], body: body.toString('base64'), size: body.length, sourceIp: '' };
}

/** Every mrkdwn string in the blocks: the only place Slack renders mentions and links. */
function mrkdwnTexts(blocks: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(blocks, (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'mrkdwn') found.push((value as { text: string }).text);
    return value;
  });
  return found;
}

describe('renderSlack', () => {
  it('leaves no mention, channel ping or link in the hostile fixture', () => {
    const out = renderSlack(buildNotification(deliveryOf(fixtureBytes(fixtureNamed('hostile-text'))), endpoint));
    for (const text of [out.text, ...mrkdwnTexts(out.blocks)]) expect(text).not.toMatch(/<[!@#]|<https?:/);
    expect(mrkdwnTexts(out.blocks).join('\n')).toContain('&lt;!channel&gt;');
    expect(out.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '📨 signup · POST /<!here>', emoji: true } });
  });

  it('has header, fields, code, truncation note and the three buttons within the limits', () => {
    const big = Buffer.from(JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ i, note: '<&>' })) }));
    const out = renderSlack(buildNotification(deliveryOf(big), endpoint));
    expect(out.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(out.blocks.length).toBeLessThanOrEqual(MESSAGE_BLOCKS_MAX);
    for (const text of mrkdwnTexts(out.blocks)) expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
    expect(JSON.stringify(out.blocks.at(-1))).toContain('"value":"payload 01jd3k8q2m000000"');
  });

  it('spreads a long body over many sections in a modal, and says when even that is not enough', () => {
    const content = '<'.repeat(100_000);
    const fits = renderSlack({ title: 'Payload', code: { language: 'text', content: content.slice(0, 6_000) } }, 'modal');
    expect(fits.complete).toBe(true);
    expect(mrkdwnTexts(fits.blocks).join('').replaceAll('```', '')).toBe(escapeMrkdwn(content.slice(0, 6_000)));
    const tooBig = renderSlack({ title: 'Payload', code: { language: 'text', content } }, 'modal');
    expect(tooBig.complete).toBe(false);
    expect(tooBig.blocks.length).toBeLessThanOrEqual(MODAL_BLOCKS_MAX);
  });

  it('cannot be closed early by backticks in the payload', () => {
    const out = renderSlack({ title: 't', code: { language: 'text', content: 'a```<!channel>```b' } });
    expect(mrkdwnTexts(out.blocks)[0]).toBe('```a`\u200b``&lt;!channel&gt;`\u200b``b```');
  });
});

describe('the Slack app manifest', () => {
  it('is the one in the repository, generated from the command list', () => {
    const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../slack-app-manifest.json'), 'utf8')) as unknown;
    expect(committed).toEqual(buildSlackManifest('https://hooks.example.com', commandList));
  });
});
