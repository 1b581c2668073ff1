import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { JOBS, QUEUES } from './queues.js';
import { RedisClient } from '../common/redis.js';
import { NotificationsModule } from '../modules/notifications/notifications.module.js';
import { ConventionsModule } from '../modules/conventions/conventions.module.js';
import { RemindersModule } from '../modules/reminders/reminders.module.js';
import { MailProcessor } from '../modules/notifications/jobs/mail.processor.js';
import { ConventionProcessor } from '../modules/conventions/jobs/convention.processor.js';
import { ReminderProcessor } from '../modules/reminders/jobs/reminder.processor.js';

/**
 * The schedules the worker keeps: reminders every morning, and the outbox sweep. Upserts are idempotent, so
 * they are made again each time the connection to Redis is ready: a Redis restarted without persistence
 * has lost them, and without the sweep, emails written while it was away would wait forever.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedules.name);

  constructor(
    @InjectQueue(QUEUES.REMINDERS) private readonly reminders: Queue,
    @InjectQueue(QUEUES.MAIL) private readonly mail: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.redis.connection.on('ready', () => {
      this.ensure().catch((error: Error) => this.logger.warn(`Schedules not restored yet: ${error.message}`));
    });
  }

  private async ensure(): Promise<void> {
    await this.reminders.upsertJobScheduler(
      'daily-reminders',
      { pattern: '0 7 * * *', tz: 'Europe/Paris' },
      { name: JOBS.SCAN_REMINDERS, data: {} },
    );
    await this.mail.upsertJobScheduler(
      'outbox-sweep',
      { every: this.config.outboxSweepMs },
      { name: JOBS.SWEEP_OUTBOX, data: {} },
    );
    this.logger.log(
      `Schedules: reminders daily at 07:00 Europe/Paris, outbox sweep every ${this.config.outboxSweepMs} ms`,
    );
  }
}

/** Every BullMQ processor: imported by the worker process (and by the API when WORKER_IN_PROCESS=true). */
@Module({
  imports: [NotificationsModule, ConventionsModule, RemindersModule],
  providers: [MailProcessor, ConventionProcessor, ReminderProcessor, JobSchedules],
})
export class ProcessorsModule {}
