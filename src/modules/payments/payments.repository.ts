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
