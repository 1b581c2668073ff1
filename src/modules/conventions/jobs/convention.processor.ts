import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, type GenerateConventionJob } from '../../../jobs/queues.js';
import { ConventionsService } from '../conventions.service.js';

/** Generates convention PDFs. */
@Processor(QUEUES.CONVENTIONS, { concurrency: 2 })
export class ConventionProcessor extends WorkerHost {
  constructor(private readonly conventions: ConventionsService) {
    super();
  }

  process(job: Job<GenerateConventionJob>): Promise<string> {
    return this.conventions.generate(job.data.conventionId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<GenerateConventionJob> | undefined, error: Error): Promise<void> {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
      await this.conventions.markFailed(job.data.conventionId, error.message);
  }
}
