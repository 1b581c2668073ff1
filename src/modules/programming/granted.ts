import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import type { FinancerEnvelopes } from '../campaigns/envelope.js';
import { isoTimestamp } from '../../database/sql.js';

/** Amounts granted in a campaign, per financer and theme, summed in SQL. */
export async function grantedByPartnerAndTheme(
  em: EntityManager,
  campaignId: string,
  partnerIds?: string[],
): Promise<Map<string, Map<string, number>>> {
  const rows: { partner_id: string; theme_code: string; granted: string }[] = await em.query(
    `SELECT d.partner_id, t.code AS theme_code, sum(d.granted_cents)::text AS granted
       FROM decisions d
       JOIN grant_applications a ON a.id = d.application_id
       JOIN themes t ON t.id = a.theme_id
      WHERE d.campaign_id = $1 ${partnerIds ? 'AND d.partner_id = ANY($2)' : ''}
      GROUP BY d.partner_id, t.code`,
    partnerIds ? [campaignId, partnerIds] : [campaignId],
  );
  const result = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const byTheme = result.get(row.partner_id) ?? new Map<string, number>();
    byTheme.set(row.theme_code, Number(row.granted));
    result.set(row.partner_id, byTheme);
  }
  return result;
}

/** The campaign's envelopes per financer; `lock` takes them FOR UPDATE, in partner order. */
export async function envelopesByPartner(
  em: EntityManager,
  campaignId: string,
  partnerIds?: string[],
  lock = false,
): Promise<Map<string, FinancerEnvelopes>> {
  const rows: { partner_id: string; theme_code: string | null; amount_cents: string }[] = await em.query(
    `SELECT e.partner_id, t.code AS theme_code, e.amount_cents::text AS amount_cents
       FROM envelopes e LEFT JOIN themes t ON t.id = e.theme_id
      WHERE e.campaign_id = $1 ${partnerIds ? 'AND e.partner_id = ANY($2)' : ''}
      ORDER BY e.partner_id, e.id
      ${lock ? 'FOR UPDATE OF e' : ''}`,
    partnerIds ? [campaignId, partnerIds] : [campaignId],
  );
  return groupEnvelopes(rows);
}

/** Envelope rows (one per financer and theme, or all themes when `theme_code` is null) grouped per financer. */
export function groupEnvelopes(
  rows: { partner_id: string; theme_code: string | null; amount_cents: string }[],
): Map<string, FinancerEnvelopes> {
  const result = new Map<string, { byTheme: Map<string, number>; allThemes: number }>();
  for (const row of rows) {
    const envelopes = result.get(row.partner_id) ?? { byTheme: new Map<string, number>(), allThemes: 0 };
    if (row.theme_code) envelopes.byTheme.set(row.theme_code, Number(row.amount_cents));
    else envelopes.allThemes = Number(row.amount_cents);
    result.set(row.partner_id, envelopes);
  }
  return result;
}

export interface DecisionView {
  partnerCode: string;
  requestedCents: number;
  grantedAmountCents: number;
  reason: string | null;
  decidedAt: string;
}

/** SQL: an application's decisions as a JSON array of `DecisionView`, with what was asked of each financer. */
export const decisionsJson = (applicationId: string): string =>
  `coalesce((SELECT json_agg(json_build_object('partnerCode', p.code, 'requestedCents', r.requested_cents,
                       'grantedAmountCents', d.granted_cents, 'reason', d.reason,
                       'decidedAt', ${isoTimestamp('d.decided_at')}) ORDER BY p.code)
               FROM decisions d
               JOIN partners p ON p.id = d.partner_id
               JOIN application_requests r ON r.application_id = d.application_id AND r.partner_id = d.partner_id
              WHERE d.application_id = ${applicationId}), '[]')`;

/** An application's decisions, with what was asked of each financer. */
export async function loadDecisions(em: EntityManager, applicationId: string): Promise<DecisionView[]> {
  const [row]: { decisions: DecisionView[] }[] = await em.query(
    `SELECT ${decisionsJson('$1')} AS decisions`,
    [applicationId],
  );
  return row.decisions;
}

/**
 * Who may read what follows a grant (convention, report): the holder, the contract's city team, and
 * the financers that grant something. Returns the application's forecast cost when allowed, else null.
 */
export async function fundedApplicationAccess(
  em: EntityManager,
  user: AuthUser,
  applicationId: string,
): Promise<{ totalChargesCents: number } | null> {
  const [access]: { organization_id: string; contract_id: string; total: string; granting: boolean }[] =
    await em.query(
      `SELECT a.organization_id, a.contract_id, a.total_charges_cents::text AS total,
            EXISTS (SELECT 1 FROM decisions d WHERE d.application_id = a.id AND d.partner_id = $2 AND d.granted_cents > 0) AS granting
       FROM grant_applications a WHERE a.id = $1`,
      [applicationId, user.partnerId],
    );
  const allowed =
    access &&
    ((user.role === 'ASSOCIATION' && access.organization_id === user.organizationId) ||
      (user.role === 'CITY_TEAM' && access.contract_id === user.contractId) ||
      (user.role === 'FINANCER' && access.contract_id === user.contractId && access.granting));
  return allowed ? { totalChargesCents: Number(access.total) } : null;
}
