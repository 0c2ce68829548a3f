import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const statusLine = (response: string) => response.slice(0, response.indexOf('\r\n'));
const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4);
const storedId = (response: string) => (JSON.parse(bodyOf(response)) as { id: string }).id;

describe('request heads', () => {
  let service: TestService;
  let url: string;
  let path: string;
  const post = (target: string, headers: string) => rawRequest(url, `POST ${target} HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Length: 2\r\nConnection: close\r\n${headers}\r\nhi`);

  beforeAll(async () => {
    service = await startTestService(testConfig(), [createRecordingChannel().channel]);
    url = localUrl(service, await say(service, 'new heads'));
    path = new URL(url).pathname;
  });
  afterAll(() => service.stop());

  it('stores every one of 3,000 headers, in order', async () => {
    const headers = Array.from({ length: 3000 }, (_, i) => `h:${i % 10}\r\n`).join('');
    const response = await post(path, headers);
    expect(statusLine(response)).toBe('HTTP/1.1 200 OK');
    const head = (await say(service, `headers ${storedId(response)}`)).code?.content.split('\n') ?? [];
    expect(head.filter((line) => line.startsWith('h: '))).toEqual(Array.from({ length: 3000 }, (_, i) => `h: ${i % 10}`));
  });

  it('refuses a head larger than 16 KB with 431 and says why', async () => {
    const response = await post(path, `x-big: ${'a'.repeat(17_000)}\r\n`);
    expect(statusLine(response)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(bodyOf(response)).toBe('request line and headers larger than the server accepts (16 KB); nothing was stored');
  });

  it('accepts an absolute-form request line, keeping the sub-path and query as sent', async () => {
    const response = await post(`http://hooks.example.com${path}/events/%ff?b=2&a=%20`, '');
    expect(statusLine(response)).toBe('HTTP/1.1 200 OK');
    expect((await say(service, `headers ${storedId(response)}`)).code?.content).toMatch(/^POST \/wh\/…\/events\/%ff\?b=2&a=%20\n/);
    expect(statusLine(await post(`HTTP://hooks.example.com:443${path}`, ''))).toBe('HTTP/1.1 200 OK');
    expect(statusLine(await post('http://hooks.example.com/wh/not-a-token', ''))).toBe('HTTP/1.1 404 Not Found');
  });
});
