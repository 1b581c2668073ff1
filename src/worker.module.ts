import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { RedisModule } from './common/redis.js';
import { JobsModule } from './jobs/jobs.module.js';
import { AccessModule } from './modules/access/access.module.js';
import { ProcessorsModule } from './jobs/processors.module.js';

/** The worker process: BullMQ processors and their schedules, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(
          dataSourceOptions(config.databaseUrl, {
            logErrors: config.nodeEnv !== 'test',
            poolSize: config.databasePoolSize,
          }),
        ),
        RedisModule,
        AccessModule,
        JobsModule.forRoot(config, 'worker'),
        ProcessorsModule,
      ],
    };
  }
}
