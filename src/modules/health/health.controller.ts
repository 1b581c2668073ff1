import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../../common/auth.js';
import { RedisClient } from '../../common/redis.js';
import { errorBody } from '../../common/http-error.filter.js';

export class HealthDto {
  /** ok, or error when a dependency is down. */
  status!: 'ok' | 'error';
  db!: 'up' | 'down';
  redis!: 'up' | 'down';
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisClient,
  ) {}

  /** 200 when PostgreSQL and Redis answer; 503, in the error shape plus the same fields, when one does not. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.db.pingCheck('db').withTimeout(1500),
        () =>
          this.indicators
            .check('redis')
            .attempt(() => this.redis.ping())
            .withTimeout(1500),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const state = (key: string): 'up' | 'down' => (result.details[key]?.status === 'up' ? 'up' : 'down');
    const body: HealthDto = {
      status: result.status === 'ok' ? 'ok' : 'error',
      db: state('db'),
      redis: state('redis'),
    };
    if (body.status === 'ok') return body;
    const down = (['db', 'redis'] as const).filter((key) => body[key] === 'down');
    response.status(503);
    return {
      ...errorBody(
        503,
        'DEPENDENCY_DOWN',
        `Service indisponible : ${down.join(', ')} ne répond pas.`,
        down.map((key) => ({ field: key, code: 'DEPENDENCY_DOWN', message: `${key} ne répond pas.` })),
      ),
      ...body,
    };
  }
}
