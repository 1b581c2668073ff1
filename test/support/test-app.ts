import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AppConfig, loadConfig } from '../../src/config/config.js';
import { createApp } from '../../src/app.factory.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, withServer } from './database.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from './constants.js';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: () => TestAgent;
  close: () => Promise<void>;
}

/** Boots the real application against a fresh copy of the migrated, seeded template database. */
export async function createTestApp(
  env: Record<string, string> = {},
  /** databaseUrl: where the app should find its copy instead (a cluster of the test's own, for example). */
  options: { databaseUrl?: (direct: string) => Promise<string> } = {},
): Promise<TestApp> {
  const name = await createDatabaseFromTemplate();
  // Every test app has its own BullMQ keys, removed when it closes.
  const queuePrefix = `t${Math.random().toString(36).slice(2, 10)}`;
  const config = loadConfig({
    QUEUE_PREFIX: queuePrefix,
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl ? await options.databaseUrl(databaseUrl(name)) : databaseUrl(name),
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // The throttles out of the way of tests that register and sign in many accounts from one address; the
    // throttles' own tests set theirs.
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    LOGIN_EMAIL_RATE_LIMIT_PER_HOUR: '100000',
    LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '100000',
    REGISTER_RATE_LIMIT_PER_HOUR: '100000',
    PASSWORD_RESET_RATE_LIMIT_PER_HOUR: '100000',
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    http: () => request(server),
    close: async () => {
      await app.close();
      await withServer((client) => dropDatabase(client, name));
      await removeQueueKeys(config.redisUrl, config.queuePrefix);
    },
  };
}

async function removeQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis unreachable (a test of that very case): nothing to clean.
  } finally {
    redis.disconnect();
  }
}

export async function login(testApp: TestApp, email: string, password: string): Promise<string> {
  const response = await testApp.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return (response.body as { accessToken: string }).accessToken;
}

export const loginAdmin = (testApp: TestApp): Promise<string> =>
  login(testApp, TEST_ADMIN.email, TEST_ADMIN.password);
