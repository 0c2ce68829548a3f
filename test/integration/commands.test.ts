import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTelegram } from '../../src/channels/telegram/render-telegram.ts';
import type { Message } from '../../src/domain/message.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { runWithFakeCurl } from '../helpers/run-with-fake-curl.ts';
import { localUrl, say, startTestService, testChat, testConfig, type TestService } from '../helpers/start-test-service.ts';

const text = (message: { title: string; lines?: string[] }) => [message.title, ...(message.lines ?? [])].join('\n');

describe('commands', () => {
  let service: TestService;
  const other = testChat('chat-b');

  beforeAll(async () => {
    service = await startTestService(testConfig(), [createRecordingChannel().channel]);
    await say(service, 'new stripe');
    await say(service, '/new@hookwatch_bot github');
  });
  afterAll(() => service.stop());

  it('creates endpoints with unguessable URLs and refuses a duplicate or bad name', async () => {
    const reply = await say(service, 'new');
    expect(reply.title).toBe('Endpoint hook-1 created');
    expect(reply.lines?.[0]).toMatch(/^https:\/\/hooks\.example\.com\/wh\/[A-Za-z0-9_-]{22}$/);
    expect((await say(service, 'new stripe')).title).toBe('You already have an endpoint named "stripe". Pick another name.');
    expect((await say(service, 'new <b>x</b>')).title).toMatch(/^A name is 1-40 characters/);
    await say(service, 'delete hook-1 confirm');
  });

  it('lists only this chat\'s endpoints', async () => {
    expect((await say(service, 'list')).fields?.map((field) => field.label)).toEqual(['stripe', 'github']);
    expect((await say(service, 'list', other)).title).toBe('No endpoints yet');
    expect((await say(service, 'show stripe', other)).title).toBe('You have no endpoints yet. Create one with new stripe.');
  });

  it('pages a long list ten at a time, with Next and Previous buttons that run list with the page', async () => {
    const many = testChat('chat-many');
    for (let i = 1; i <= 25; i++) await say(service, `new ep-${String(i).padStart(2, '0')}`, many);
    const press = (message: Message, label: string) => {
      const button = message.buttons?.find((candidate) => candidate.label === label);
      if (!button) throw new Error(`no ${label} button on ${message.title}`);
      return service.commands.run(many, button.action.command, button.action.args);
    };
    const first = await say(service, 'list', many);
    expect(first.title).toBe('Endpoints (25), page 1 of 3');
    expect(first.buttons?.map((button) => button.label)).toEqual(['Next']);
    expect(renderTelegram(first).html).not.toContain('more not shown');
    const second = await press(first, 'Next');
    expect(second.title).toBe('Endpoints (25), page 2 of 3');
    expect(second.buttons?.map((button) => button.label)).toEqual(['Previous', 'Next']);
    const third = await press(second, 'Next');
    const names = [first, second, third].map((page) => page.fields?.map((field) => field.label) ?? []);
    expect(names.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(new Set(names.flat())).toEqual(new Set(Array.from({ length: 25 }, (_, i) => `ep-${String(i + 1).padStart(2, '0')}`)));
    expect(third.buttons?.map((button) => button.label)).toEqual(['Previous']);
    expect((await press(third, 'Previous')).title).toBe('Endpoints (25), page 2 of 3');
    expect((await say(service, 'list 4', many)).title).toBe('There are 3 pages of endpoints: list 3 is the last.');
    expect((await say(service, 'list', other)).title).toBe('No endpoints yet');
  });

  it('answers a misspelt endpoint with the chat\'s names', async () => {
    expect((await say(service, 'show strpe')).title).toBe('No endpoint named "strpe". Yours: stripe, github.');
  });

  it('answers an unknown command with a suggestion and wrong arguments with the usage', async () => {
    expect(text(await say(service, 'lsit'))).toBe('Unknown command "lsit".\nDid you mean list? help lists every command.');
    expect(text(await say(service, 'mute'))).toBe('Usage: mute <endpoint> [duration]\nFor example: mute stripe 2h');
    expect((await say(service, 'mute stripe forever')).title).toBe('"forever" is not a duration. Use e.g. 30m, 1.5h, 90 min or 1d (at most 365d).');
    expect((await say(service, 'mute stripe 90 min')).lines?.[0]).toMatch(/^No notifications for 1h 30m \(until /);
    expect((await say(service, 'mute stripe 1 h')).lines?.[0]).toMatch(/^No notifications for 1h \(until /);
    await say(service, 'unmute stripe');
    expect((await say(service, 'last stripe lots')).title).toBe('"lots" is not a number of deliveries (1-50).');
    expect((await say(service, 'payload zzzz')).title).toBe('No delivery "zzzz" in this chat. last lists recent ones with their ids.');
  });

  it('mutes for a duration or until unmuted, and shows it', async () => {
    expect((await say(service, 'mute stripe 2h')).lines?.[0]).toMatch(/^No notifications for 2h \(until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
    expect((await say(service, 'show stripe')).fields).toContainEqual({ label: 'Notifications', value: expect.stringMatching(/^muted until /) });
    await say(service, 'mute stripe');
    expect((await say(service, 'show stripe')).fields).toContainEqual({ label: 'Notifications', value: 'muted until unmuted' });
    await say(service, 'unmute stripe');
    expect((await say(service, 'show stripe')).fields).toContainEqual({ label: 'Notifications', value: 'notifications on' });
  });

  it('keeps another chat away from a delivery it does not own', async () => {
    const url = localUrl(service, await say(service, 'new private'));
    const { id } = (await (await fetch(url, { method: 'POST', body: 'secret' })).json()) as { id: string };
    expect((await say(service, `payload ${id}`)).code?.content).toBe('secret');
    expect((await say(service, `payload ${id}`, other)).title).toMatch(/^No delivery/);
    expect((await say(service, 'delete private', other)).title).toMatch(/^You have no endpoints/);
    await say(service, 'delete private confirm');
  });

  it('masks credential headers in chat but keeps them stored for replay', async () => {
    const url = localUrl(service, await say(service, 'new creds'));
    const headers = { authorization: 'Bearer sk_live_1234567890abcdef3f9a', 'x-api-key': 'short', 'stripe-signature': 't=1,v1=abcdef0123456789' };
    const { id } = (await (await fetch(url, { method: 'POST', headers, body: 'it\'s "quoted"' })).json()) as { id: string };
    const shown = (await say(service, `headers ${id}`)).code?.content ?? '';
    expect(shown).toContain('authorization: Bearer ••••3f9a');
    expect(shown).toContain('x-api-key: ••••');
    expect(shown).toContain('stripe-signature: ••••6789');
    expect(shown).not.toContain('sk_live');
    const curl = await say(service, `curl ${id}`);
    expect(curl.code?.content).toContain(`-H 'authorization: '"\${HEADER_AUTHORIZATION?}"`);
    expect(curl.code?.content).toContain(`--data-raw 'it'\\''s "quoted"'`);
    expect(curl.lines?.join('\n')).toContain('set HEADER_AUTHORIZATION, HEADER_X_API_KEY, HEADER_STRIPE_SIGNATURE first');
    const script = curl.attachment?.bytes.toString() ?? '';
    expect(curl.attachment?.filename).toBe(`replay-${id}.sh`);
    const replayed = runWithFakeCurl(script, { HEADER_AUTHORIZATION: headers.authorization, HEADER_X_API_KEY: headers['x-api-key'], HEADER_STRIPE_SIGNATURE: headers['stripe-signature'] }).argv.map(String);
    expect(replayed).toEqual(expect.arrayContaining(Object.entries(headers).map(([name, value]) => `${name}: ${value}`)));
    expect(replayed.slice(-2)).toEqual(['--data-raw', 'it\'s "quoted"']);
    await say(service, 'delete creds confirm');
  });

  it('asks before deleting, then removes the endpoint so its URL answers 404', async () => {
    const url = localUrl(service, await say(service, 'new doomed'));
    await fetch(url, { method: 'POST', body: 'x' });
    const question = await say(service, 'delete doomed');
    expect(question.title).toBe('Delete doomed?');
    const button = question.buttons?.[0];
    expect(button?.style).toBe('danger');
    const done = await service.commands.run(testChat(), button!.action.command, button!.action.args);
    expect(done.lines?.[0]).toBe('Removed with its 1 stored deliveries. Its URL now answers 404.');
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('renames without changing the URL, and lists recent deliveries newest first', async () => {
    const url = localUrl(service, await say(service, 'new hook-9'));
    await say(service, 'rename hook-9 shop');
    for (const n of [1, 2, 3]) await fetch(url, { method: 'POST', body: `n${n}` });
    const last = await say(service, 'last shop 2');
    expect(last.title).toBe('Last 2 deliveries (shop)');
    const ids = last.lines!.map((line) => line.split(' · ')[0]!);
    expect((await say(service, `payload ${ids[0]}`)).code?.content).toBe('n3');
    expect((await say(service, `payload ${ids[1]}`)).code?.content).toBe('n2');
    await say(service, 'delete shop confirm');
  });

  it('explains that digests need SMTP and lists every command in help', async () => {
    expect((await say(service, 'digest daily me@example.com')).title).toBe('Email digests are off on this server');
    expect((await say(service, 'digest weekly')).title).toBe('"weekly" is not a schedule: use hourly, daily, off or now.');
    const help = await say(service, 'help');
    expect(help.lines?.map((line) => line.split(' ')[0])).toEqual(['new', 'list', 'show', 'last', 'find', 'stats', 'payload', 'headers', 'curl', 'mute', 'unmute', 'rename', 'secret', 'sample', 'delete', 'digest', 'expect', 'alerts', 'ack', 'forward', 'replay', 'attempts', 'watch', 'watches', 'unwatch', 'diff', 'help']);
    expect((await say(service, 'help mute')).title).toBe('mute <endpoint> [duration]');
  });
});
