import type { EntityManager } from 'typeorm';
import { decisionsJson, type DecisionView } from '../applications/applications.repository.js';

/** An application's decisions, with what was asked of each financer. */
export async function loadDecisions(em: EntityManager, applicationId: string): Promise<DecisionView[]> {
  const [row]: { decisions: DecisionView[] }[] = await em.query(
    `SELECT ${decisionsJson('$1')} AS decisions`,
    [applicationId],
  );
  return row.decisions;
}

/** The decisions of these applications, by application. */
export async function loadDecisionsOf(
  em: EntityManager,
  applicationIds: string[],
): Promise<Map<string, DecisionView[]>> {
  const rows: { id: string; decisions: DecisionView[] }[] = applicationIds.length
    ? await em.query(
        `SELECT a.id, ${decisionsJson('a.id')} AS decisions FROM grant_applications a WHERE a.id = ANY($1::uuid[])`,
        [applicationIds],
      )
    : [];
  return new Map(rows.map((row) => [row.id, row.decisions]));
}

/** Records (or replaces) one financer's decision on an application, dated now. */
export async function upsertDecision(
  em: EntityManager,
  decision: {
    applicationId: string;
    partnerId: string;
    campaignId: string;
    grantedCents: number;
    reason: string | null;
    decidedBy: string;
  },
): Promise<void> {
  await em.query(
    `INSERT INTO decisions (application_id, partner_id, campaign_id, granted_cents, reason, decided_by, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
     ON CONFLICT (application_id, partner_id)
     DO UPDATE SET granted_cents = EXCLUDED.granted_cents, reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by, decided_at = clock_timestamp()`,
    [
      decision.applicationId,
      decision.partnerId,
      decision.campaignId,
      decision.grantedCents,
      decision.reason,
      decision.decidedBy,
    ],
  );
}
