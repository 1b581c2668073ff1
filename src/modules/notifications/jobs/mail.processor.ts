import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOBS, MAIL_CONCURRENCY, QUEUES, type SendMailJob } from '../../../jobs/queues.js';
import { NotificationsService } from '../notifications.service.js';
import { ConventionsService } from '../../conventions/conventions.service.js';

/** Relays outbox rows to SMTP, and sweeps what was left pending. Thin: load, call the service, return. */
@Processor(QUEUES.MAIL, { concurrency: MAIL_CONCURRENCY })
export class MailProcessor extends WorkerHost {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly notifications: NotificationsService,
    private readonly conventions: ConventionsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === JOBS.SWEEP_OUTBOX) {
      return { emails: await this.notifications.sweep(), conventions: await this.conventions.sweep() };
    }
    return this.notifications.send((job.data as SendMailJob).notificationId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== JOBS.SEND_MAIL) return;
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade >= attempts)
      await this.notifications.markFailed((job.data as SendMailJob).notificationId, error.message);
    else
      this.logger.warn(
        `Email ${(job.data as SendMailJob).notificationId}: attempt ${job.attemptsMade} of ${attempts} failed (${error.message})`,
      );
  }
}
