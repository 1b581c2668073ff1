import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from './config/config.js';
import { createLogger } from './app.factory.js';
import { WorkerModule } from './worker.module.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  // The BullMQ workers start taking jobs while the context is being created, before its shutdown hooks are
  // in place: a stop signal in that window is held back, then handled like any other (jobs in hand finish).
  let early: NodeJS.Signals | undefined;
  const holdBack = (signal: NodeJS.Signals) => (early ??= signal);
  for (const signal of SIGNALS) process.on(signal, holdBack);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: createLogger(config),
  });
  app.enableShutdownHooks([...SIGNALS]);
  for (const signal of SIGNALS) process.removeListener(signal, holdBack);
  await app.init();
  if (early) {
    process.kill(process.pid, early);
    return;
  }
  new Logger('Worker').log('Worker ready: waiting for jobs');
}

void bootstrap();
