import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { queryPrepared } from '../../database/prepared.js';

/** The user behind a token, if still enabled: read on every authenticated request, one prepared statement. */
export async function findActiveAuthUser(em: EntityManager, id: string): Promise<AuthUser | null> {
  const rows = await queryPrepared<AuthUser>(
    em,
    `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.organization_id AS "organizationId",
            u.partner_id AS "partnerId", p.code AS "partnerCode", u.contract_id AS "contractId"
       FROM users u LEFT JOIN partners p ON p.id = u.partner_id
      WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [id],
  );
  return rows[0] ?? null;
}
