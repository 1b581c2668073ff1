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

/** The id of the partner of contract `contractId` with code `code`, if any. */
export async function partnerIdOf(
  em: EntityManager,
  contractId: string,
  code: string,
): Promise<string | undefined> {
  const [row] = await em.query<{ id: string }[]>(
    `SELECT id FROM partners WHERE contract_id = $1 AND code = $2`,
    [contractId, code],
  );
  return row?.id;
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

/** A payment with the action it pays, as a financer's or the city team's list of payments shows it. */
export interface LedgerRow {
  id: string;
  applicationId: string;
  reference: string;
  title: string;
  holderName: string;
  partnerCode: string;
  kind: 'ADVANCE' | 'BALANCE' | 'RECOVERY';
  amountCents: number;
  status: 'DUE' | 'PAID';
  dueOn: string;
  paidOn: string | null;
  engagementReference: string | null;
}

/**
 * The payments of contract `contractId` (of one partner when given, in one status when given): those due
 * first, the oldest due first (the most overdue at the top); the paid ones, the latest paid first.
 */
export async function paymentLedger(
  em: EntityManager,
  filter: { contractId: string; partnerId?: string; status?: 'DUE' | 'PAID' },
  page: { limit: number; offset: number },
): Promise<{ rows: LedgerRow[]; total: number }> {
  const where = `WHERE a.contract_id = $1 AND ($2::uuid IS NULL OR p.partner_id = $2) AND ($3::text IS NULL OR p.status = $3)`;
  const parameters = [filter.contractId, filter.partnerId ?? null, filter.status ?? null];
  const [{ total }] = await em.query<{ total: string }[]>(
    `SELECT count(*)::text AS total FROM payments p JOIN grant_applications a ON a.id = p.application_id ${where}`,
    parameters,
  );
  const rows = await em.query<(Omit<LedgerRow, 'amountCents'> & { amountCents: string })[]>(
    `SELECT p.id, p.application_id AS "applicationId", a.reference, a.title, o.name AS "holderName",
            pa.code AS "partnerCode", p.kind, p.amount_cents::text AS "amountCents", p.status,
            p.due_on::text AS "dueOn", p.paid_on::text AS "paidOn", p.engagement_reference AS "engagementReference"
       FROM payments p
       JOIN grant_applications a ON a.id = p.application_id
       JOIN organizations o ON o.id = a.organization_id
       JOIN partners pa ON pa.id = p.partner_id
      ${where}
      ORDER BY p.status = 'PAID', CASE WHEN p.status = 'DUE' THEN p.due_on END, p.paid_on DESC, a.reference, pa.code, p.kind
      LIMIT $4 OFFSET $5`,
    [...parameters, page.limit, page.offset],
  );
  return {
    rows: rows.map(({ amountCents, ...row }) => ({ ...row, amountCents: Number(amountCents) })),
    total: Number(total),
  };
}
