import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { QUEUES } from './queues.js';
import { JobsController } from './jobs.controller.js';
import { JobsRepository } from './jobs.repository.js';

/**
 * BullMQ on Redis. Producers in the API fail fast while Redis is away (no offline queue): what they
 * could not enqueue stays PENDING in PostgreSQL and the worker's sweep enqueues it later.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, role: 'producer' | 'worker'): DynamicModule {
    // Workers block on Redis and must retry forever; an API producer must not hang a request on it.
    const connection =
      role === 'worker'
        ? { url: config.redisUrl, maxRetriesPerRequest: null }
        : { url: config.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
    const queues = BullModule.registerQueue(
      {
        name: QUEUES.MAIL,
        defaultJobOptions: {
          attempts: config.mailAttempts,
          backoff: { type: 'exponential', delay: config.mailRetryBaseMs },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      },
      {
        name: QUEUES.CONVENTIONS,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      },
      {
        name: QUEUES.REMINDERS,
        defaultJobOptions: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: 100,
          removeOnFail: 1000,
        },
      },
    );
    return {
      module: JobsModule,
      imports: [BullModule.forRoot({ connection, prefix: config.queuePrefix }), queues],
      controllers: role === 'producer' || config.workerInProcess ? [JobsController] : [],
      providers: [JobsRepository],
      exports: [queues],
    };
  }
}
