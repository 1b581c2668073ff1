import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, type ScanRemindersJob } from '../../../jobs/queues.js';
import { RemindersService } from '../reminders.service.js';

@Processor(QUEUES.REMINDERS)
export class ReminderProcessor extends WorkerHost {
  constructor(private readonly reminders: RemindersService) {
    super();
  }

  process(job: Job<ScanRemindersJob>): Promise<number> {
    return this.reminders.scan(job.data);
  }
}
