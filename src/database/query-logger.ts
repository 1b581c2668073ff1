import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's log through Nest's logger (JSON in production, like every other line), without the values: a
 * failed query logs its statement and PostgreSQL's error code only, never its parameters (e-mail addresses,
 * password hashes, the content of a dossier).
 */
export class SafeQueryLogger implements TypeOrmLogger {
  constructor(private readonly logger = new NestLogger('Database')) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'string' ? undefined : (error as Error & { code?: unknown }).code;
    this.logger.error(`Query failed (${typeof code === 'string' ? code : 'no code'}): ${oneLine(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${oneLine(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

const oneLine = (query: string): string => query.replace(/\s+/g, ' ').trim().slice(0, 2000);
