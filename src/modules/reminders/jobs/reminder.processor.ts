import { Processor, WorkerHost } from '@nestjs/bullmq';
import { QUEUES, type TypedJob } from '../../../jobs/queues.js';
import { RemindersService } from '../reminders.service.js';

@Processor(QUEUES.REMINDERS)
export class ReminderProcessor extends WorkerHost {
  constructor(private readonly reminders: RemindersService) {
    super();
  }

  process(job: TypedJob<typeof QUEUES.REMINDERS>): Promise<number> {
    return this.reminders.scan(job.data);
  }
}
