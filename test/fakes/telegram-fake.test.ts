import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from './multipart.ts';
import { parseTelegramHtml, startTelegramFake, type TelegramFake } from './telegram-fake.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The GrammyError a call fails with (fails the test if it succeeds). */
async function grammyError(call: Promise<unknown>): Promise<GrammyError> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

let fake: TelegramFake;
/** A bot that skips getMe; for plain API calls. */
let bot: Bot;

beforeAll(async () => {
  fake = await startTelegramFake();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.api.me });
});

afterAll(async () => {
  expect(fake.internalErrors).toEqual([]);
  await fake.stop();
});

/** Starts a polling bot (timeout 1 s so stop() is quick) and returns a stopper. */
async function startPolling(poller: Bot): Promise<() => Promise<void>> {
  let running: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve) => {
    running = poller.start({ timeout: 1, onStart: () => resolve() });
  });
  return async () => {
    await poller.stop();
    await running;
  };
}

describe('grammY against the Telegram fake', () => {
  it('answers getMe with the full bot user (bot.init)', async () => {
    const poller = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    await poller.init();
    expect(poller.botInfo).toMatchObject({
      id: 123456789,
      is_bot: true,
      username: 'hookwatch_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    });
  });

  it('long-polls: getUpdates is held, a command arrives, the reply reaches the fake', async () => {
    const poller = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    poller.command('ping', (ctx) => ctx.reply(`pong ${ctx.match}`));
    const firstCall = fake.calls.length;
    const stop = await startPolling(poller);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const polls = fake.calls.slice(firstCall).filter((c) => c.method === 'getUpdates');
    expect(polls.length).toBeLessThanOrEqual(2); // held, not a busy loop
    expect(polls[0]?.payload).toMatchObject({ offset: 1, timeout: 1 });

    const update = fake.sendUserMessage(101, '/ping hello');
    expect(update.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 5 }]);
    const [reply] = await fake.waitForSent(1, 101);
    expect(reply?.text).toBe('pong hello');
    expect(reply?.message.chat).toMatchObject({ id: 101, type: 'private' });
    expect(reply?.messageId).toBe(2); // the user's /ping was message 1 in this chat

    const stopping = Date.now();
    await stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(fake.updates.pending).toEqual([]); // confirmed by stop()'s final getUpdates offset
  });

  it('inline keyboard: a pressed button is answered and the message edited', async () => {
    const poller = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    poller.command('ask', (ctx) =>
      ctx.reply('<b>Deploy?</b>', {
        parse_mode: 'HTML',
        reply_markup: new InlineKeyboard().text('Approve', 'approve:42').text('Reject', 'reject:42'),
      }),
    );
    poller.callbackQuery(/^(approve|reject):(\d+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'done' });
      await ctx.editMessageText(`Done: ${ctx.match[1]} ${ctx.match[2]}`);
    });
    const stop = await startPolling(poller);
    try {
      fake.sendUserMessage(-202, '/ask', { chatType: 'group' });
      const [asked] = await fake.waitForSent(1, -202);
      expect(asked?.message.entities).toEqual([{ type: 'bold', offset: 0, length: 7 }]);
      expect(asked?.replyMarkup?.inline_keyboard[0]?.map((b) => b.callback_data)).toEqual(['approve:42', 'reject:42']);
      const messageId = asked?.messageId ?? 0;
      expect(() => fake.pressButton(-202, messageId, 'forged')).toThrow(/no button/);

      const queryId = fake.pressButton(-202, messageId, 'approve:42');
      await fake.waitForCall('editMessageText');
      expect(fake.answers()).toEqual([expect.objectContaining({ callbackQueryId: queryId, text: 'done' })]);
      expect(fake.message(-202, messageId)).toMatchObject({ text: 'Done: approve 42', chat: { type: 'group' } });
      expect(fake.message(-202, messageId)?.reply_markup).toBeUndefined(); // an edit without markup drops it

      const again = await grammyError(bot.api.answerCallbackQuery(queryId));
      expect(again.description).toBe(
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      );
      const unchanged = await grammyError(bot.api.editMessageText(-202, messageId, 'Done: approve 42'));
      expect(unchanged.description).toMatch(/^Bad Request: message is not modified/);
    } finally {
      await stop();
    }
  });

  it('sendDocument: multipart upload arrives byte-exact with filename and caption', async () => {
    const bytes = Buffer.concat([
      Buffer.from(JSON.stringify({ hostile: '<script>', emoji: '😀' })),
      Buffer.from([0, 1, 2, 255, 13, 10, 45, 45, 13, 10]),
    ]);
    const message = await bot.api.sendDocument(303, new InputFile(bytes, 'payload-x.json'), {
      caption: '<b>full</b> payload',
      parse_mode: 'HTML',
    });
    expect(message.document).toMatchObject({ file_name: 'payload-x.json', mime_type: 'application/json' });
    expect(message.document?.file_size).toBe(bytes.length);
    expect(message.caption).toBe('full payload');

    const [sent] = fake.sent(303);
    expect(sent?.document?.filename).toBe('payload-x.json');
    expect(sent?.document?.data.equals(bytes)).toBe(true);
    expect(sent?.caption).toBe('full payload');
    const call = await fake.waitForCall('sendDocument');
    expect(call.payload.document).toMatch(/^attach:\/\//);
    expect(call.payload.chat_id).toBe(303);

    // grammY writes the filename unquoted; one with a space survives too.
    await bot.api.sendDocument(303, new InputFile(bytes, 'payload x.json'));
    expect(fake.sent(303)[1]?.document?.filename).toBe('payload x.json');

    const captioned = bot.api.sendDocument(303, new InputFile(bytes, 'a.json'), { caption: 'c'.repeat(1025) });
    const long = await grammyError(captioned);
    expect(long.description).toBe('Bad Request: message caption is too long');
  });

  it('429: grammY surfaces error_code and retry_after; the next call goes through', async () => {
    fake.inject429(1, 1);
    const error = await grammyError(bot.api.sendMessage(404, 'hi'));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 1');
    expect(error.parameters.retry_after).toBe(1);
    await bot.api.sendMessage(404, 'hi again');
    await bot.api.sendMessage(404, 'and again');
    expect(fake.sent(404).map((s) => s.text)).toEqual(['hi again', 'and again']);
    expect(fake.callsPerSecond(404)).toBe(3); // attempts count, the 429 included
    expect(fake.maxPerChatPerSecond()).toBeGreaterThanOrEqual(3);
  });

  it("rejects broken HTML with Telegram's can't parse entities errors", async () => {
    const script = await grammyError(
      bot.api.sendMessage(505, 'Alert: <script>alert(1)</script>', { parse_mode: 'HTML' }),
    );
    expect(script.error_code).toBe(400);
    expect(script.description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "script" at byte offset 7`,
    );
    const lt = await grammyError(bot.api.sendMessage(505, 'latency < 5 ms', { parse_mode: 'HTML' }));
    expect(lt.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "" at byte offset 8`);
    expect(fake.sent(505)).toEqual([]);
  });

  it('accepts properly escaped hostile text and stores the plain text', async () => {
    const hostile = '<script>alert("x")</script> & <b>not bold</b> &amp; 😀 </pre>';
    await bot.api.sendMessage(505, `<b>Payload</b>\n<pre>${escapeHtml(hostile)}</pre>`, { parse_mode: 'HTML' });
    expect(fake.sent(505)[0]?.text).toBe(`Payload\n${hostile}`);
  });

  it('counts the length after entity parsing', async () => {
    const long = await grammyError(bot.api.sendMessage(606, 'a'.repeat(4097)));
    expect(long.description).toBe('Bad Request: message is too long');
    await bot.api.sendMessage(606, `<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    expect(fake.sent(606)[0]?.text).toHaveLength(4096);
    const empty = await grammyError(bot.api.sendMessage(606, '  \n '));
    expect(empty.description).toBe('Bad Request: message text is empty');
  });

  it('rejects callback_data outside 1-64 UTF-8 bytes with BUTTON_DATA_INVALID', async () => {
    const send = (data: string) =>
      bot.api.sendMessage(707, 'pick', { reply_markup: new InlineKeyboard().text('x', data) });
    expect((await grammyError(send('x'.repeat(65)))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await grammyError(send('é'.repeat(33)))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    await send('é'.repeat(32)); // 64 bytes
    await send('x'.repeat(64));
    expect(fake.sent(707)).toHaveLength(2);
  });

  it('validates and records setMyCommands', async () => {
    await bot.api.setMyCommands([{ command: 'status', description: 'Show status' }]);
    expect(fake.commands).toEqual([{ command: 'status', description: 'Show status' }]);
    const upper = await grammyError(bot.api.setMyCommands([{ command: 'Status', description: 'x' }]));
    expect(upper.description).toBe('Bad Request: BOT_COMMAND_INVALID');
    const empty = await grammyError(bot.api.setMyCommands([{ command: 'ok', description: ' ' }]));
    expect(empty.description).toBe('Bad Request: command description must be non-empty');
  });
});

describe('Telegram fake protocol details', () => {
  const post = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${fake.apiRoot}${path}`, { method: 'POST', ...init });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers a wrong token with 401 and an unknown method with 404', async () => {
    expect(await post('/bot1:wrong/getMe')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await post(`/bot${fake.token}/sendSticker`)).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
  });

  it('reads urlencoded bodies, JSON-string fields included', async () => {
    const form = new URLSearchParams({
      chat_id: '808',
      text: 'form',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'a', callback_data: 'a' }]] }),
    });
    const { body } = await post(`/bot${fake.token}/sendmessage`, { body: form });
    expect(body).toMatchObject({ ok: true, result: { chat: { id: 808 }, text: 'form' } });
    expect(fake.sent(808)[0]?.replyMarkup?.inline_keyboard[0]?.[0]?.callback_data).toBe('a');
  });

  it('delivers updates to a webhook with the secret token, and refuses getUpdates meanwhile', async () => {
    const received: Array<{ secret: string | undefined; body: string }> = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body });
        res.writeHead(received.length === 1 ? 500 : 200).end(); // the first attempt fails: retried
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/telegram`;
      const bad = await grammyError(bot.api.setWebhook(url, { secret_token: 'no spaces allowed' }));
      expect(bad.error_code).toBe(400);
      await bot.api.setWebhook(url, { secret_token: 's3cr3t_-' });
      const conflict = await grammyError(bot.api.getUpdates());
      expect(conflict.error_code).toBe(409);

      const update = fake.sendUserMessage(909, 'hello');
      await expect.poll(() => fake.updates.deliveries.map((d) => d.status), { timeout: 2000 }).toEqual([500, 200]);
      expect(received.map((r) => r.secret)).toEqual(['s3cr3t_-', 's3cr3t_-']);
      expect(JSON.parse(received[1]?.body ?? '{}')).toEqual(update);
      expect((await bot.api.getWebhookInfo()).last_error_message).toBe(
        'Wrong response from the webhook: 500 Internal Server Error',
      );
      await bot.api.deleteWebhook();
      expect(fake.webhook.url).toBe('');
    } finally {
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('parses multipart the way grammY writes it', () => {
    const b = '----------abc';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n777\r\n`),
      Buffer.from(`--${b}\r\ncontent-disposition:form-data;name="f1";filename=my file.json\r\n`),
      Buffer.from('content-type:application/octet-stream\r\n\r\n'),
      Buffer.from([0, 13, 10, 255]),
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const parsed = parseMultipart(body, b);
    expect(parsed.fields).toEqual({ chat_id: '777' });
    expect(parsed.files.f1?.filename).toBe('my file.json');
    expect([...(parsed.files.f1?.data ?? [])]).toEqual([0, 13, 10, 255]);
  });

  it.each([
    ['<br>', 'Unsupported start tag "br" at byte offset 0'],
    ['x <b', 'Unclosed start tag at byte offset 2'],
    ['<a href', 'Unclosed start tag "a" at byte offset 0'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['<b>x', `Can't find end tag corresponding to start tag "b"`],
    ['é <script>', 'Unsupported start tag "script" at byte offset 3'], // byte offsets, not characters
  ])('parseTelegramHtml(%j) fails like Telegram', (html, error) => {
    expect(parseTelegramHtml(html)).toEqual({ error });
  });

  it('parseTelegramHtml decodes only the supported references and keeps a bare & (as Telegram does)', () => {
    expect(parseTelegramHtml('AT&T &nbsp; &lt;b&gt; &#60;&#x3C; &quot;')).toEqual({
      text: 'AT&T &nbsp; <b> << "',
      entities: [],
    });
    expect(parseTelegramHtml('AT&T', { strictAmpersand: true })).toHaveProperty('error');
    expect(parseTelegramHtml('<pre><code class="language-json">{}</code></pre><blockquote expandable>q</blockquote>'))
      .toEqual({
        text: '{}q',
        entities: [
          { type: 'pre', offset: 0, length: 2, language: 'json' },
          { type: 'expandable_blockquote', offset: 2, length: 1 },
        ],
      });
  });
});
