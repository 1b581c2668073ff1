/**
 * Prints the OpenAPI document of the built API (`npm run openapi`), without connecting to anything:
 * Nest's preview mode builds the module graph but instantiates no provider.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './config/config.js';
import { AppModule } from './app.module.js';
import { API_PREFIX, buildOpenApiDocument } from './app.factory.js';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX);
  process.stdout.write(JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n');
  await app.close();
}

void main();
