import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** A real SMTP server that keeps every message it accepts; it can be stopped and started on its port. */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  /** Recipients the server refuses for good (550), as a mailbox that does not exist. */
  readonly rejecting = new Set<string>();
  private server?: SMTPServer;
  port = 0;

  private create(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      // Stopping must not wait for the mailer's pooled (idle, open) connections: close them within 100 ms.
      closeTimeout: 100,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.rejecting.has(address.address)) return callback();
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
  }

  async start(): Promise<void> {
    this.server = this.create();
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages to an address, optionally only those whose subject matches. */
  to(address: string, subject?: RegExp): ParsedMail[] {
    return this.messages.filter(
      (mail) => JSON.stringify(mail.to).includes(address) && (!subject || subject.test(mail.subject ?? '')),
    );
  }
}

/** Polls until the check returns a truthy value or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined | false;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > until)
      throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
