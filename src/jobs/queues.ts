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
