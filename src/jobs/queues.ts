/** Every queue, job name and payload, in one place. */
export const QUEUES = {
  MAIL: 'mail',
  CONVENTIONS: 'conventions',
  REMINDERS: 'reminders',
} as const;

/** Emails one worker sends at once (jobs in flight, and pooled SMTP sessions). */
export const MAIL_CONCURRENCY = 5;

export const JOBS = {
  /** Send one outbox row. */
  SEND_MAIL: 'send-mail',
  /** Re-enqueue outbox rows and conventions left pending while Redis was away. */
  SWEEP_OUTBOX: 'sweep-outbox',
  GENERATE_CONVENTION: 'generate-convention',
  /** The reminder scan, for one campaign or (no campaignId) every active one. */
  SCAN_REMINDERS: 'scan-reminders',
} as const;

export interface SendMailJob {
  notificationId: string;
  requestId?: string;
}

export interface GenerateConventionJob {
  conventionId: string;
  requestId?: string;
}

export interface ScanRemindersJob {
  campaignId?: string;
  /** The instant the scan judges deadlines against (defaults to now); tests and replays set it. */
  at?: string;
}

/** What each job carries, by job name. */
export interface JobPayloads {
  [JOBS.SEND_MAIL]: SendMailJob;
  [JOBS.SWEEP_OUTBOX]: Record<string, never>;
  [JOBS.GENERATE_CONVENTION]: GenerateConventionJob;
  [JOBS.SCAN_REMINDERS]: ScanRemindersJob;
}

export type JobName = keyof JobPayloads;

/** The queue each job runs on. */
export const QUEUE_OF = {
  [JOBS.SEND_MAIL]: QUEUES.MAIL,
  [JOBS.SWEEP_OUTBOX]: QUEUES.MAIL,
  [JOBS.GENERATE_CONVENTION]: QUEUES.CONVENTIONS,
  [JOBS.SCAN_REMINDERS]: QUEUES.REMINDERS,
} as const satisfies Record<JobName, (typeof QUEUES)[keyof typeof QUEUES]>;

type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The jobs of one queue (all by default), as one union discriminated by name: what producers add and processors switch on. */
export type QueuedJob<Q extends QueueName = QueueName> = {
  [N in JobName]: (typeof QUEUE_OF)[N] extends Q ? { name: N; data: JobPayloads[N] } : never;
}[JobName];

/** A BullMQ queue typed by the jobs it takes (its producers can add nothing else). */
export type TypedQueue<Q extends QueueName> = import('bullmq').Queue<
  QueuedJob<Q>['data'],
  unknown,
  QueuedJob<Q>['name']
>;

/** A BullMQ job as a processor of queue `Q` receives it: narrowed by `switch (job.name)`. */
export type TypedJob<Q extends QueueName> = import('bullmq').Job & QueuedJob<Q>;
