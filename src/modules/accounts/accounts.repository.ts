import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { queryPrepared } from '../../database/prepared.js';

const AUTH_USER_COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.role, u.organization_id AS "organizationId",
            u.partner_id AS "partnerId", p.code AS "partnerCode", u.contract_id AS "contractId",
            u.must_change_password AS "mustChangePassword"`;

/** An enabled user, as the services act for it (the demo seed, a login before its session exists). */
export async function findActiveUser(
  em: EntityManager,
  id: string,
): Promise<Omit<AuthUser, 'sessionId'> | null> {
  const rows = await queryPrepared<Omit<AuthUser, 'sessionId'>>(
    em,
    `SELECT ${AUTH_USER_COLUMNS}
       FROM users u LEFT JOIN partners p ON p.id = u.partner_id
      WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * The user behind a token, if still enabled and its session still open: read on every authenticated request,
 * one prepared statement.
 */
export async function findSessionUser(
  em: EntityManager,
  id: string,
  sessionId: string,
): Promise<AuthUser | null> {
  const rows = await queryPrepared<AuthUser>(
    em,
    `SELECT ${AUTH_USER_COLUMNS}, s.id AS "sessionId"
       FROM users u
       JOIN auth_sessions s ON s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL
       LEFT JOIN partners p ON p.id = u.partner_id
      WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [id, sessionId],
  );
  return rows[0] ?? null;
}

/** Opens a session for the user; its id goes into the token. */
export async function openSession(em: EntityManager, userId: string): Promise<string> {
  const [row] = await em.query<{ id: string }[]>(
    'INSERT INTO auth_sessions (user_id) VALUES ($1) RETURNING id',
    [userId],
  );
  return row.id;
}

/** Closes one session (signing out): its token answers 401 from now on. */
export async function closeSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.query('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    sessionId,
  ]);
}

/** Closes the user's open sessions (all, or all but `except`): their tokens answer 401 from now on. */
export async function closeSessions(em: EntityManager, userId: string, except?: string): Promise<number> {
  const rows = await em.query<{ id: string }[]>(
    `UPDATE auth_sessions SET revoked_at = now()
      WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
      RETURNING id`,
    [userId, except ?? null],
  );
  return rows.length;
}
