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
  const tuples = notifications.map((notification, index) => {
    values.push(
      notification.type,
      notification.to,
      JSON.stringify(notification.payload),
      notification.dedupeKey,
      notification.contractId,
      notification.applicationId ?? null,
    );
    const base = index * 6;
    return `($${base + 1}, $${base + 2}, $${base + 3}::jsonb, $${base + 4}, $${base + 5}::uuid, $${base + 6}::uuid)`;
  });
  const rows: { id: string }[] = await em.query(
    `INSERT INTO notifications (type, to_address, payload, dedupe_key, contract_id, application_id)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    values,
  );
  return rows.map((row) => row.id);
}
