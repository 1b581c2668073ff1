import type { EntityManager } from 'typeorm';

/** The financers that granted the application money, with what each granted. */
export async function grants(
  em: EntityManager,
  applicationId: string,
): Promise<{ partnerId: string; code: string; grantedCents: number }[]> {
  const rows = await em.query<{ partnerId: string; code: string; granted: string }[]>(
    `SELECT p.id AS "partnerId", p.code, d.granted_cents::text AS granted
       FROM decisions d JOIN partners p ON p.id = d.partner_id
      WHERE d.application_id = $1 AND d.granted_cents > 0 ORDER BY p.code`,
    [applicationId],
  );
  return rows.map((row) => ({ partnerId: row.partnerId, code: row.code, grantedCents: Number(row.granted) }));
}

/** A partner's code. */
export async function partnerCodeOf(em: EntityManager, partnerId: string): Promise<string> {
  const [row] = await em.query<{ code: string }[]>(`SELECT code FROM partners WHERE id = $1`, [partnerId]);
  return row.code;
}

/** A partner's name. */
export async function partnerNameOf(em: EntityManager, partnerId: string): Promise<string> {
  const [row] = await em.query<{ name: string }[]>(`SELECT name FROM partners WHERE id = $1`, [partnerId]);
  return row.name;
}

/** A funded application of a campaign as the evaluation reads it: its promises and its accepted report. */
export interface EvaluationRow {
  reference: string;
  title: string;
  themeCode: string;
  themeLabel: string;
  measureId: string | null;
  measureLabel: string | null;
  indicators: { label: string; unit: string; targetValue: number }[] | null;
  reportStatus: string | null;
  reportIndicators: { label: string; achievedValue: number }[] | null;
  reportBeneficiaries: { total: number; byQpv?: Record<string, number> } | null;
  granted: string;
  paid: string;
}

/** The funded applications of campaign `campaignId`, theme and measure order, with granted and paid money. */
export function evaluationRows(em: EntityManager, campaignId: string): Promise<EvaluationRow[]> {
  return em.query<EvaluationRow[]>(
    `SELECT a.reference, a.title, t.code AS "themeCode", t.label AS "themeLabel", m.id AS "measureId",
            m.label AS "measureLabel", a.indicators, r.status AS "reportStatus", r.indicators AS "reportIndicators",
            r.beneficiaries AS "reportBeneficiaries",
            (SELECT coalesce(sum(d.granted_cents), 0) FROM decisions d WHERE d.application_id = a.id)::text AS granted,
            (SELECT coalesce(sum(CASE WHEN p.kind = 'RECOVERY' THEN -p.amount_cents ELSE p.amount_cents END), 0)
               FROM payments p WHERE p.application_id = a.id AND p.status = 'PAID')::text AS paid
       FROM grant_applications a
       JOIN themes t ON t.id = a.theme_id
       LEFT JOIN measures m ON m.id = a.measure_id
       LEFT JOIN reports r ON r.application_id = a.id
      WHERE a.campaign_id = $1 AND a.status = 'PROGRAMMED'
      ORDER BY t.position, m.label NULLS LAST, a.reference`,
    [campaignId],
  );
}

/** The contract's QPV names by code. */
export async function qpvNames(em: EntityManager, campaignId: string): Promise<Map<string, string>> {
  const rows = await em.query<{ code: string; name: string }[]>(
    `SELECT q.code, q.name FROM qpvs q JOIN campaigns c ON c.contract_id = q.contract_id WHERE c.id = $1`,
    [campaignId],
  );
  return new Map(rows.map((row) => [row.code, row.name]));
}
