import type { Job, Queue } from 'bullmq';

/**
 * Whether a failed job will not run again: its attempts are spent, or BullMQ failed it for good (a job
 * stalled more often than the worker allows, which BullMQ raises as an `UnrecoverableError`).
 */
export function isFinalFailure(job: Job, error: Error): boolean {
  return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Among these job ids, the jobs BullMQ holds as failed for good, with why. A row still PENDING whose job
 * is one of them lost the mark its processor should have written (the worker died between the two); the
 * sweeps write it, since adding a job under the same id again would do nothing.
 */
export async function failedJobs(queue: Queue, jobIds: string[]): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  for (const jobId of jobIds) {
    const job = await queue.getJob(jobId);
    if (job && (await job.isFailed())) failed.set(jobId, job.failedReason || 'failed');
  }
  return failed;
}

/** Removes the job under this id if it failed for good, so that a new one can be added under the same id. */
export async function removeFailedJob(queue: Queue, jobId: string): Promise<void> {
  const job = await queue.getJob(jobId);
  if (job && (await job.isFailed())) await job.remove();
}
