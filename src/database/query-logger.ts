import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's log through Nest's logger (JSON in production, like every other line), without the values: a
 * failed query logs its statement and PostgreSQL's error code only, never its parameters (e-mail addresses,
 * password hashes, the content of a dossier).
 */
export class SafeQueryLogger implements TypeOrmLogger {
  constructor(
    /** Off in tests, where refused writes are expected. */
    private readonly enabled = true,
    private readonly logger = new NestLogger('Database'),
  ) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    if (!this.enabled) return;
    const code = typeof error === 'string' ? undefined : (error as Error & { code?: unknown }).code;
    this.logger.error(`Query failed (${typeof code === 'string' ? code : 'no code'}): ${oneLine(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    if (!this.enabled) return;
    this.logger.warn(`Slow query (${time} ms): ${oneLine(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (this.enabled && level === 'warn') this.logger.warn(String(message));
  }
}

const oneLine = (query: string): string => query.replace(/\s+/g, ' ').trim().slice(0, 2000);
