/**
 * The statements on envelopes and what was granted against them (the sums read from the decisions table),
 * for the campaign's envelope listing and the COPIL's envelope check, and what closing the programming reads.
 */
import type { EntityManager } from 'typeorm';
import type { FinancerEnvelopes } from './envelope.js';

/** Amounts granted in a campaign, per financer and theme, summed in SQL. */
export async function grantedByPartnerAndTheme(
  em: EntityManager,
  campaignId: string,
  partnerIds?: string[],
): Promise<Map<string, Map<string, number>>> {
  const rows: { partnerId: string; themeCode: string; granted: string }[] = await em.query(
    `SELECT d.partner_id AS "partnerId", t.code AS "themeCode", sum(d.granted_cents)::text AS granted
       FROM decisions d
       JOIN grant_applications a ON a.id = d.application_id
       JOIN themes t ON t.id = a.theme_id
      WHERE d.campaign_id = $1 ${partnerIds ? 'AND d.partner_id = ANY($2)' : ''}
      GROUP BY d.partner_id, t.code`,
    partnerIds ? [campaignId, partnerIds] : [campaignId],
  );
  const result = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const byTheme = result.get(row.partnerId) ?? new Map<string, number>();
    byTheme.set(row.themeCode, Number(row.granted));
    result.set(row.partnerId, byTheme);
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
  const rows: EnvelopeRow[] = await em.query(
    `SELECT e.partner_id AS "partnerId", t.code AS "themeCode", e.amount_cents::text AS "amountCents"
       FROM envelopes e LEFT JOIN themes t ON t.id = e.theme_id
      WHERE e.campaign_id = $1 ${partnerIds ? 'AND e.partner_id = ANY($2)' : ''}
      ORDER BY e.partner_id, e.id
      ${lock ? 'FOR UPDATE OF e' : ''}`,
    partnerIds ? [campaignId, partnerIds] : [campaignId],
  );
  return groupEnvelopes(rows);
}

/** An envelope as read: its financer, its theme (null: all themes), its amount (bigint as text). */
export interface EnvelopeRow {
  partnerId: string;
  themeCode: string | null;
  amountCents: string;
}

/** Envelope rows (one per financer and theme, or all themes when `themeCode` is null) grouped per financer. */
export function groupEnvelopes(rows: EnvelopeRow[]): Map<string, FinancerEnvelopes> {
  const result = new Map<string, { byTheme: Map<string, number>; allThemes: number }>();
  for (const row of rows) {
    const envelopes = result.get(row.partnerId) ?? { byTheme: new Map<string, number>(), allThemes: 0 };
    if (row.themeCode) envelopes.byTheme.set(row.themeCode, Number(row.amountCents));
    else envelopes.allThemes = Number(row.amountCents);
    result.set(row.partnerId, envelopes);
  }
  return result;
}

/** The references of the campaign's applications still eligible: the COPIL has not decided on them. */
export async function undecidedReferences(em: EntityManager, campaignId: string): Promise<string[]> {
  const rows: { reference: string }[] = await em.query(
    `SELECT reference FROM grant_applications WHERE campaign_id = $1 AND status = 'ELIGIBLE' ORDER BY reference`,
    [campaignId],
  );
  return rows.map((row) => row.reference);
}
