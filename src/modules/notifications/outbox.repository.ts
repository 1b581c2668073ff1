import type { EntityManager } from 'typeorm';

/**
 * What each email's templates read (`templates/emails/<type>/`), pre-formatted in French: the payload the
 * outbox stores for it. The reminders' payloads are built in SQL by `RemindersRepository` with these keys.
 */
export interface EmailPayloads {
  APPLICATION_SUBMITTED: {
    reference: string;
    title: string;
    holderName: string;
    campaignTitle: string;
    submittedAt: string;
    signatoryName: string;
    signatoryRole: string;
    /** The sworn statement's commitments, in French, as attested. */
    commitments: string[];
  };
  APPLICATION_RETURNED: { reference: string; title: string; holderName: string; message: string };
  PAYMENT_DUE: {
    reference: string;
    title: string;
    kind: string;
    kindLabel: string;
    amount: string;
    partnerName: string;
    dueOn: string;
  };
  PAYMENT_PAID: {
    reference: string;
    title: string;
    kindLabel: string;
    amount: string;
    partnerName: string;
    paidOn: string;
    engagementReference: string;
  };
  REPORT_RETURNED: { reference: string; title: string; holderName: string; message: string };
  CONVENTION_READY: { conventionNumber: string; title: string; reference: string; grantedTotal: string };
  REMINDER_DRAFT: {
    reference: string;
    title: string;
    campaignTitle: string;
    deadline: string;
    daysLeft: string;
  };
  REMINDER_REVIEW: { reference: string; title: string; partnerName: string; deadline: string };
  REMINDER_PAYMENT_OVERDUE: {
    reference: string;
    title: string;
    partnerName: string;
    kind: string;
    amount: string;
    dueOn: string;
  };
  REMINDER_REPORT_DUE: { reference: string; title: string; deadline: string };
  REMINDER_REPORT_OVERDUE: { reference: string; title: string; deadline: string };
  /** Account emails: each holds a single-use link (the token's SHA-256 alone is stored). */
  PASSWORD_RESET: { displayName: string; link: string };
  EMAIL_CONFIRMATION: { displayName: string; link: string };
  CONTACT_CONFIRMATION: { organizationName: string; link: string };
  INVITATION: { organizationName: string; inviterName: string; link: string };
  JOIN_REQUEST: { organizationName: string; requesterName: string; requesterEmail: string; link: string };
  JOIN_REQUEST_ANSWERED: { organizationName: string; displayName: string; answer: string; link: string };
}

export type NotificationType = keyof EmailPayloads;

/** An email to write to the outbox: its payload typed by its type. */
export type NewNotification = {
  [T in NotificationType]: {
    type: T;
    to: string;
    payload: EmailPayloads[T];
    dedupeKey: string;
    contractId: string | null;
    applicationId?: string | null;
  };
}[NotificationType];

/** The outbox's columns in the order every INSERT below writes them. */
const OUTBOX_COLUMNS = 'type, to_address, payload, dedupe_key, contract_id, application_id';

/**
 * The one writer of the outbox (`notifications`): every email is a row written here, in the transaction of
 * the event that causes it, with a unique dedupe key; the relay job sends it after commit.
 *
 * Writes emails to the outbox inside the caller's transaction. A dedupe key already there is skipped,
 * so a repeated event (a second reminder scan, a retried job) adds nothing. Returns the new rows' ids.
 */
export async function addToOutbox(em: EntityManager, notifications: NewNotification[]): Promise<string[]> {
  if (notifications.length === 0) return [];
  const values: unknown[] = [];
  const rows: { id: string }[] = await em.query(
    `${outboxInsert(notifications, values)} RETURNING id`,
    values,
  );
  return rows.map((row) => row.id);
}

/**
 * The INSERT of these emails into the outbox (dedupe keys already there skipped), its values pushed on
 * `values`: for a statement that writes them with the event itself, `onlyIf` the event happened.
 */
export function outboxInsert(notifications: NewNotification[], values: unknown[], onlyIf = 'true'): string {
  const tuples = notifications.map((notification) => {
    const base = values.push(
      notification.type,
      notification.to,
      JSON.stringify(notification.payload),
      notification.dedupeKey,
      notification.contractId,
      notification.applicationId ?? null,
    );
    return `($${base - 5}, $${base - 4}, $${base - 3}::jsonb, $${base - 2}, $${base - 1}::uuid, $${base}::uuid)`;
  });
  return `INSERT INTO notifications (${OUTBOX_COLUMNS})
     SELECT * FROM (VALUES ${tuples.join(', ')}) AS email WHERE ${onlyIf}
     ON CONFLICT (dedupe_key) DO NOTHING`;
}

/**
 * Writes the emails a SELECT yields (its columns in the order of `OUTBOX_COLUMNS`: type, address, payload,
 * dedupe key, contract, application) in one statement, dedupe keys already there skipped: the reminder
 * scan's bulk write. Returns the new rows' ids.
 */
export async function addSelectedToOutbox(
  em: EntityManager,
  select: string,
  parameters: unknown[],
): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `INSERT INTO notifications (${OUTBOX_COLUMNS})
     ${select}
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    parameters,
  );
  return rows.map((row) => row.id);
}

/** Rows still PENDING `olderThanMs` after they were written (at most 5,000, oldest first), for the sweep. */
export function pendingInOutbox(
  em: EntityManager,
  olderThanMs: number,
): Promise<{ id: string; resendCount: number }[]> {
  return em.query(
    `SELECT id, resend_count AS "resendCount" FROM notifications WHERE status = 'PENDING' AND created_at < now() - ($1 || ' milliseconds')::interval ORDER BY created_at LIMIT 5000`,
    [String(olderThanMs)],
  );
}
