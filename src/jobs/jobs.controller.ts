import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Job, Queue } from 'bullmq';
import { type AuthUser, CurrentUser, Roles } from '../common/auth.js';
import { isUuid } from '../common/uuid-param.js';
import { JobsRepository } from './jobs.repository.js';
import { JOBS, QUEUES } from './queues.js';

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
    private readonly repository: JobsRepository,
  ) {}

  /**
   * The most recent failed jobs of every queue (100 per queue at most) that work on the caller's contract:
   * an email, a convention or a campaign of another contract (its recipients in the error) is left out, and
   * so is a scan of every contract at once.
   */
  @Get('failed')
  async failed(@CurrentUser() user: AuthUser): Promise<FailedJobPageDto> {
    const failed: { queue: string; job: Job }[] = [];
    for (const queue of [this.mail, this.conventions, this.reminders])
      for (const job of await queue.getFailed(0, 99)) failed.push({ queue: queue.name, job });
    const keyOf = ({ job }: { job: Job }): string | undefined => {
      const data = (job.data ?? {}) as {
        notificationId?: unknown;
        conventionId?: unknown;
        campaignId?: unknown;
      };
      const [kind, id] =
        job.name === JOBS.SEND_MAIL
          ? ['n', data.notificationId]
          : job.name === JOBS.GENERATE_CONVENTION
            ? ['c', data.conventionId]
            : job.name === JOBS.SCAN_REMINDERS
              ? ['k', data.campaignId]
              : [undefined, undefined];
      return kind && typeof id === 'string' && isUuid(id) ? `${kind}:${id}` : undefined;
    };
    const keys = failed.map(keyOf);
    const ids = (kind: string) =>
      keys.filter((key): key is string => !!key?.startsWith(`${kind}:`)).map((key) => key.slice(2));
    const contracts = await this.repository.contractsOf({
      notificationIds: ids('n'),
      conventionIds: ids('c'),
      campaignIds: ids('k'),
    });
    const items = failed
      .filter((_, index) => keys[index] !== undefined && contracts.get(keys[index]!) === user.contractId)
      .map(({ queue, job }) => ({
        queue,
        id: job.id ?? '',
        name: job.name,
        failedReason: job.failedReason,
        attemptsMade: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      }));
    return { items, total: items.length };
  }
}
