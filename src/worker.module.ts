import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { RedisModule } from './common/redis.js';

/** The worker process: BullMQ processors only, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(
          dataSourceOptions(config.databaseUrl, { logErrors: config.nodeEnv !== 'test' }),
        ),
        RedisModule,
      ],
    };
  }
}
