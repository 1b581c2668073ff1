import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit, type AppConfig } from './config/config.js';
import { createApp } from './app.factory.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** A process that dies sooner than this after its start is not restarted at once (a crash loop). */
const QUICK_DEATH_MS = 5_000;

async function serve(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.port);
  new Logger('Bootstrap').log(`API listening on http://127.0.0.1:${config.port}/api/v1 (docs: /api/docs)`);
}

/**
 * WEB_CONCURRENCY=N: N API processes share the port (node:cluster; the primary hands connections round).
 * Nothing a request needs lives in one process (sessions in PostgreSQL, throttles in Redis), so any of them
 * may answer. One that dies is replaced (after a pause if it died at once); on SIGTERM or SIGINT each gets
 * the signal, finishes the requests in hand (NestJS's shutdown hooks), and the primary exits when all have.
 */
function supervise(config: AppConfig): void {
  const logger = new Logger('Cluster');
  const startedAt = new Map<number, number>();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    logger.warn(`API process ${worker.process.pid} ended (${signal ?? `code ${code}`}): starting another`);
    setTimeout(() => stopping || fork(), lived < QUICK_DEATH_MS ? QUICK_DEATH_MS : 0);
  });
  for (const signal of SIGNALS)
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (startedAt.size === 0) process.exit(0);
    });
  for (let index = 0; index < config.webConcurrency; index += 1) fork();
  logger.log(`${config.webConcurrency} API processes on port ${config.port}`);
}

const config = loadConfigOrExit(process.env);
if (cluster.isPrimary && config.webConcurrency > 1) supervise(config);
else void serve(config);
