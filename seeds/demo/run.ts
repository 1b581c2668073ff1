/** `npm run seed:demo`: loads the demo campaign (after `npm run db:setup`). */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '../../src/config/config.js';
import { AppModule } from '../../src/app.module.js';
import { seedDemo } from './demo-seed.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    await seedDemo(app, (line) => console.log(line));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
