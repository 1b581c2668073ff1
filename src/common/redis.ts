import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config.js';

/**
 * One shared ioredis connection for short commands (health, locks). It fails fast while Redis is
 * away instead of queueing commands, and keeps reconnecting in the background.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly connection: Redis;

  private readonly url: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.url = config.redisUrl;
    this.connection = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: () => 1000,
    });
    let reported = false;
    this.connection.on('error', (error: Error) => {
      if (!reported) this.logger.warn(`Redis unavailable: ${error.message}`);
      reported = true;
    });
    this.connection.on('ready', () => {
      reported = false;
    });
    this.connection.connect().catch(() => undefined);
  }

  private throttleConnection?: Redis;

  /**
   * The throttles' connection: commands wait (a short while) for the connection instead of failing at once,
   * so the counts of the first requests after start-up are not lost; while Redis is away, they fail after one
   * reconnection attempt and the throttles let requests pass.
   */
  throttles(): Redis {
    this.throttleConnection ??= new Redis(this.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: () => 1000,
    }).on('error', () => undefined);
    return this.throttleConnection;
  }

  async ping(): Promise<void> {
    const answer = await this.connection.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
  }

  onApplicationShutdown(): void {
    this.connection.disconnect();
    this.throttleConnection?.disconnect();
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
