import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  /** Accepted mails, parsed. */
  mails: ParsedMail[];
  /** Every DATA received, also refused ones. */
  attempts: { count: number };
  /** Answers the next `count` messages with a temporary failure (451 by default). */
  failNext(count: number, code?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (smtp-server, no TLS or auth) that parses what it receives with mailparser. */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const attempts = { count: 0 };
  let failures: { count: number; code: number } = { count: 0, code: 451 };
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      attempts.count += 1;
      // Decided as the attempt is counted, so a test that changes failNext after seeing the count never changes this one's answer.
      const refusal = failures.count > 0 ? failures.code : undefined;
      if (refusal !== undefined) failures.count -= 1;
      simpleParser(stream).then(
        (mail) => {
          if (refusal !== undefined) {
            callback(Object.assign(new Error('Try again later'), { responseCode: refusal }));
            return;
          }
          mails.push(mail);
          callback();
          for (const wake of waiters) wake();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  const actual = (server.server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    mails,
    attempts,
    failNext(count, code = 451) {
      failures = { count, code };
    },
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (mails.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mails);
        };
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`only ${mails.length} of ${count} mails arrived`))), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
