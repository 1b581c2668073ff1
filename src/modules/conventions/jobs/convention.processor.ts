import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { isFinalFailure } from '../../../jobs/failures.js';
import { QUEUES, type TypedJob } from '../../../jobs/queues.js';
import { ConventionsService } from '../conventions.service.js';

/** Generates convention PDFs. */
@Processor(QUEUES.CONVENTIONS, { concurrency: 2 })
export class ConventionProcessor extends WorkerHost {
  constructor(private readonly conventions: ConventionsService) {
    super();
  }

  process(job: TypedJob<typeof QUEUES.CONVENTIONS>): Promise<string> {
    return this.conventions.generate(job.data.conventionId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: TypedJob<typeof QUEUES.CONVENTIONS> | undefined, error: Error): Promise<void> {
    if (job && isFinalFailure(job, error))
      await this.conventions.markFailed(job.data.conventionId, error.message);
  }
}
