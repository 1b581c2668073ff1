import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const name = await createDatabaseFromTemplate();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(name),
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
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
    },
  };
}

export async function login(testApp: TestApp, email: string, password: string): Promise<string> {
  const response = await testApp.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return (response.body as { accessToken: string }).accessToken;
}

export const loginAdmin = (testApp: TestApp): Promise<string> =>
  login(testApp, TEST_ADMIN.email, TEST_ADMIN.password);
