import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from './config/config.js';
import { createApp } from './app.factory.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const app = await createApp(config);
  await app.listen(config.port);
  new Logger('Bootstrap').log(`API listening on http://127.0.0.1:${config.port}/api/v1 (docs: /api/docs)`);
}

void bootstrap();
