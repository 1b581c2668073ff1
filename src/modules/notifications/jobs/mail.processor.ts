import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { isFinalFailure } from '../../../jobs/failures.js';
import { JOBS, MAIL_CONCURRENCY, QUEUES, type TypedJob } from '../../../jobs/queues.js';
import { NotificationsService } from '../notifications.service.js';
import { SweepHooks } from '../sweep-hooks.js';

/** Relays outbox rows to SMTP, and sweeps what was left pending. Thin: load, call the service, return. */
@Processor(QUEUES.MAIL, { concurrency: MAIL_CONCURRENCY })
export class MailProcessor extends WorkerHost {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly notifications: NotificationsService,
    private readonly sweeps: SweepHooks,
  ) {
    super();
  }

  async process(job: TypedJob<typeof QUEUES.MAIL>): Promise<unknown> {
    switch (job.name) {
      case JOBS.SWEEP_OUTBOX:
        return { emails: await this.notifications.sweep(), ...(await this.sweeps.run()) };
      case JOBS.SEND_MAIL:
        return this.notifications.send(job.data.notificationId);
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: TypedJob<typeof QUEUES.MAIL> | undefined, error: Error): Promise<void> {
    if (!job || job.name !== JOBS.SEND_MAIL) return;
    const attempts = job.opts.attempts ?? 1;
    if (isFinalFailure(job, error))
      await this.notifications.markFailed(job.data.notificationId, error.message);
    else
      this.logger.warn(
        `Email ${job.data.notificationId}: attempt ${job.attemptsMade} of ${attempts} failed (${error.message})`,
      );
  }
}
