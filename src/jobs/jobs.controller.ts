import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Roles } from '../common/auth.js';
import { QUEUES } from './queues.js';

export class FailedJobDto {
  queue!: string;
  id!: string;
  name!: string;
  failedReason!: string;
  attemptsMade!: number;
  failedAt!: string | null;
}

export class FailedJobPageDto {
  items!: FailedJobDto[];
  total!: number;
}

/** Operations: failed jobs are kept (removeOnFail keeps thousands) and listed here. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('CITY_TEAM')
@Controller('jobs')
export class JobsController {
  constructor(
    @InjectQueue(QUEUES.MAIL) private readonly mail: Queue,
    @InjectQueue(QUEUES.CONVENTIONS) private readonly conventions: Queue,
    @InjectQueue(QUEUES.REMINDERS) private readonly reminders: Queue,
  ) {}

  /** The most recent failed jobs of every queue (100 per queue at most). */
  @Get('failed')
  async failed(): Promise<FailedJobPageDto> {
    const items: FailedJobDto[] = [];
    for (const queue of [this.mail, this.conventions, this.reminders]) {
      for (const job of await queue.getFailed(0, 99)) {
        items.push({
          queue: queue.name,
          id: job.id ?? '',
          name: job.name,
          failedReason: job.failedReason,
          attemptsMade: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        });
      }
    }
    return { items, total: items.length };
  }
}
