/** The reminder scan over every campaign, then the emails it wrote relayed by a worker to an SMTP sink. */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../src/config/config.js';
import { AppModule } from '../../src/app.module.js';
import { RemindersService } from '../../src/modules/reminders/reminders.service.js';
import { DATABASE_URL, REDIS_URL, JWT_SECRET, ms, round } from '../support.js';
import type { BenchContext } from './context.js';

export async function remindersAndEmails(ctx: BenchContext): Promise<void> {
  const { client, figures, duration } = ctx;
  console.error('[bench] reminder scan');
  await client.query(
    `UPDATE campaigns SET status = 'PROGRAMMED', report_deadline = now() + interval '10 days' WHERE contract_id IN (SELECT id FROM contracts WHERE code LIKE 'BN%')`,
  );
  const context = await NestFactory.createApplicationContext(
    AppModule.forRoot(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL,
        REDIS_URL,
        JWT_SECRET,
        QUEUE_PREFIX: 'bench',
        WORKER_IN_PROCESS: 'false',
      }),
    ),
    { logger: ['error'] },
  );
  const start = process.hrtime.bigint();
  const created = await context.get(RemindersService).scan({});
  const scanMs = ms(start);
  await context.close();

  // The scan's emails, relayed by one worker process to a local SMTP sink that counts what it accepts.
  console.error('[bench] emails relayed by a worker');
  let delivered = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('end', () => {
        delivered += 1;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (sink.server.address() as AddressInfo).port;
  const worker = spawn(process.execPath, ['dist/src/worker.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL,
      REDIS_URL,
      JWT_SECRET,
      QUEUE_PREFIX: 'bench',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      // Production refuses the documented default.
      ADMIN_PASSWORD: 'bench-admin-password',
    },
    stdio: 'ignore',
  });
  while (delivered === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const relayStart = process.hrtime.bigint();
  const relayFrom = delivered;
  await new Promise((resolve) => setTimeout(resolve, duration * 1000));
  const relayed = delivered - relayFrom;
  const relaySeconds = ms(relayStart) / 1000;
  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
  await new Promise<void>((resolve) => sink.close(() => resolve()));
  figures.reminderScan = {
    reminders: created,
    seconds: round(scanMs / 1000, 2),
    emailsRelayedPerSecond: round(relayed / relaySeconds),
  };
}
