import type { EmailPayloads, NewNotification } from '../notifications/outbox.repository.js';
import type { GrantApplicationEntity } from './application.entity.js';

/** The emails about a dossier sent to its holder, and what their payload adds to reference, title and holder. */
type HolderEmailType = 'APPLICATION_SUBMITTED' | 'APPLICATION_RETURNED';

/**
 * The email to the holder's official address (`official_email()`: its contact address once confirmed, else
 * its first member's confirmed address) about an event of its application, once per event and version of the
 * application (the dedupe key), for the status move to write with the event; none while no address of the
 * holder is confirmed.
 */
export function holderEmail<T extends HolderEmailType>(
  app: Pick<GrantApplicationEntity, 'id' | 'version' | 'reference' | 'title' | 'contractId'>,
  holder: { name: string; officialEmail: string | null },
  type: T,
  event: string,
  payload: Omit<EmailPayloads[T], 'reference' | 'title' | 'holderName'>,
): NewNotification[] {
  if (!holder.officialEmail) return [];
  const email = {
    type,
    to: holder.officialEmail,
    payload: { reference: app.reference, title: app.title, holderName: holder.name, ...payload },
    dedupeKey: `${event}:${app.id}:${app.version}`,
    contractId: app.contractId,
    applicationId: app.id,
    // TypeScript cannot correlate T with the union's member; the parameter's type already checked the payload.
  } as unknown as NewNotification;
  return [email];
}
