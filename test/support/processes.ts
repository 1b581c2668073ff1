/**
 * The built service as production runs it: API processes (`dist/src/main.js`) and workers
 * (`dist/src/worker.js`), each its own Node.js process, on a database copied from the test template and a
 * Redis database and key prefix of their own. `npm test` builds `dist/` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from './constants.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, withServer } from './database.js';
import { freePort } from './free-port.js';
import type { TestApp } from './test-app.js';

export interface Deployment {
  /** Every process's settings. */
  env: Record<string, string>;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  dataSource: DataSource;
  apis: { url: string; process: ChildProcess }[];
  workers: ChildProcess[];
  /** A supertest agent on API `index`. */
  http: (index: number) => TestAgent;
  /** What the factories take (`http` and `dataSource`), pointed at API `index`. */
  as: (index: number) => TestApp;
  startWorker: () => ChildProcess;
  stop: () => Promise<void>;
}

const waitFor = async (check: () => Promise<boolean>, what: string, timeoutMs = 30_000) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
};

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

export async function startDeployment(options: {
  apis: number;
  workers: number;
  /** Settings of every process (SMTP_URL, throttles...). */
  env?: Record<string, string>;
  /** The Redis database of this deployment (not the tests' 0). */
  redisDb?: number;
}): Promise<Deployment> {
  const name = await createDatabaseFromTemplate();
  const url = databaseUrl(name);
  const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/${options.redisDb ?? 3}`;
  const queuePrefix = `d${Math.random().toString(36).slice(2, 10)}`;
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    WORKER_IN_PROCESS: 'false',
    DATABASE_POOL_SIZE: '10',
    OUTBOX_SWEEP_MS: '500',
    MAIL_RETRY_BASE_MS: '200',
    ...options.env,
  };
  const dataSource = await new DataSource(dataSourceOptions(url, { logErrors: false })).initialize();
  const startWorker = () =>
    spawn(process.execPath, ['dist/src/worker.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const apis: Deployment['apis'] = [];
  for (let index = 0; index < options.apis; index += 1) {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    apis.push({ url: `http://127.0.0.1:${port}`, process: child });
  }
  const workers = Array.from({ length: options.workers }, startWorker);
  for (const api of apis)
    await waitFor(async () => (await fetch(`${api.url}/api/v1/health`)).ok, `the API at ${api.url}`);
  const http = (index: number) => request(apis[index].url);
  return {
    env,
    databaseUrl: url,
    redisUrl,
    queuePrefix,
    dataSource,
    apis,
    workers,
    http,
    as: (index) => ({ http: () => http(index), dataSource }) as unknown as TestApp,
    startWorker,
    stop: async () => {
      const children = [...apis.map((api) => api.process), ...workers];
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(children.map(exited));
      await dataSource.destroy();
      await withServer((client) => dropDatabase(client, name));
      const redis = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
