import type { EntityManager } from 'typeorm';

export type NotificationType =
  | 'APPLICATION_SUBMITTED'
  | 'APPLICATION_RETURNED'
  | 'CONVENTION_READY'
  | 'REMINDER_DRAFT'
  | 'REMINDER_REVIEW'
  | 'REMINDER_REPORT_DUE'
  | 'REMINDER_REPORT_OVERDUE';

export interface NewNotification {
  type: NotificationType;
  to: string;
  payload: Record<string, string>;
  dedupeKey: string;
  contractId: string | null;
  applicationId?: string | null;
}

/**
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
  return `INSERT INTO notifications (type, to_address, payload, dedupe_key, contract_id, application_id)
     SELECT * FROM (VALUES ${tuples.join(', ')}) AS email WHERE ${onlyIf}
     ON CONFLICT (dedupe_key) DO NOTHING`;
}
