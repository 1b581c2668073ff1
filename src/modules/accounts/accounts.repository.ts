import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { queryPrepared } from '../../database/prepared.js';
import type { TokenPurpose } from './account-token.entity.js';
import type { JoinRequestStatus } from './join-request.entity.js';

const AUTH_USER_COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.role, u.organization_id AS "organizationId",
            u.partner_id AS "partnerId", p.code AS "partnerCode", u.contract_id AS "contractId",
            u.must_change_password AS "mustChangePassword", u.email_confirmed_at IS NOT NULL AS "emailConfirmed",
            coalesce(o.suspended_at IS NOT NULL, false) AS "organizationSuspended"`;
const AUTH_USER_JOINS = `LEFT JOIN partners p ON p.id = u.partner_id LEFT JOIN organizations o ON o.id = u.organization_id`;

/** An enabled user, as the services act for it (the demo seed, a login before its session exists). */
export async function findActiveUser(
  em: EntityManager,
  id: string,
): Promise<Omit<AuthUser, 'sessionId'> | null> {
  const rows = await queryPrepared<Omit<AuthUser, 'sessionId'>>(
    em,
    `SELECT ${AUTH_USER_COLUMNS}
       FROM users u ${AUTH_USER_JOINS}
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
       ${AUTH_USER_JOINS}
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
    `WITH closed AS (
       UPDATE auth_sessions SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
        RETURNING id)
     SELECT id FROM closed`,
    [userId, except ?? null],
  );
  return rows.length;
}

/**
 * Uses a single-use token: stamps it used if it has this purpose, is unused and unexpired, in one statement
 * (two uses racing: one wins). Returns what it was issued for, or null.
 */
export async function useToken(
  em: EntityManager,
  purposes: readonly TokenPurpose[],
  tokenHash: string,
): Promise<{
  id: string;
  purpose: TokenPurpose;
  userId: string | null;
  organizationId: string | null;
  email: string;
  createdBy: string | null;
} | null> {
  const rows = await em.query<
    {
      id: string;
      purpose: TokenPurpose;
      userId: string | null;
      organizationId: string | null;
      email: string;
      createdBy: string | null;
    }[]
  >(
    // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
    `WITH used AS (
       UPDATE account_tokens SET used_at = clock_timestamp()
        WHERE token_hash = $1 AND purpose = ANY($2::varchar[]) AND used_at IS NULL AND expires_at > clock_timestamp()
        RETURNING id, purpose, user_id AS "userId", organization_id AS "organizationId", email, created_by AS "createdBy")
     SELECT * FROM used`,
    [tokenHash, purposes],
  );
  return rows[0] ?? null;
}

/** Marks every unused token of this purpose for this user used (a new reset link replaces the old ones). */
export async function retireTokens(em: EntityManager, userId: string, purpose: TokenPurpose): Promise<void> {
  await em.query(
    `UPDATE account_tokens SET used_at = clock_timestamp() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
    [userId, purpose],
  );
}

/** The organisation's enabled members whose address is confirmed: who hears of a request to join. */
export function confirmedMembers(
  em: EntityManager,
  organizationId: string,
): Promise<{ id: string; email: string; displayName: string }[]> {
  return em.query(
    `SELECT id, email, display_name AS "displayName" FROM users
      WHERE organization_id = $1 AND disabled_at IS NULL AND email_confirmed_at IS NOT NULL ORDER BY created_at`,
    [organizationId],
  );
}

/** The address official emails of an organisation go to (`official_email()`, see its migration), or null. */
export async function officialEmail(em: EntityManager, organizationId: string): Promise<string | null> {
  const [row] = await em.query<{ email: string | null }[]>('SELECT official_email($1) AS email', [
    organizationId,
  ]);
  return row?.email ?? null;
}

/** An organisation's requests to join, pending first then the latest decided. */
export function joinRequestsOf(em: EntityManager, organizationId: string): Promise<JoinRequestRow[]> {
  return em.query(
    `SELECT j.id, j.status, u.email, u.display_name AS "displayName", j.created_at AS "createdAt", j.decided_at AS "decidedAt"
       FROM join_requests j JOIN users u ON u.id = j.user_id
      WHERE j.organization_id = $1
      ORDER BY j.status <> 'PENDING', j.created_at DESC LIMIT 200`,
    [organizationId],
  );
}

export interface JoinRequestRow {
  id: string;
  status: JoinRequestStatus;
  email: string;
  displayName: string;
  createdAt: Date;
  decidedAt: Date | null;
}

/**
 * Decides a pending request of the organisation: once (a second decision finds it no longer pending); an
 * accepted requester becomes a member unless it joined another organisation meanwhile. Returns the requester.
 */
export async function decideJoinRequest(
  em: EntityManager,
  organizationId: string,
  requestId: string,
  decision: 'ACCEPTED' | 'REFUSED',
  decidedBy: string,
): Promise<{ userId: string; email: string; displayName: string } | null> {
  const rows = await em.query<{ userId: string; email: string; displayName: string }[]>(
    `WITH decided AS (
       UPDATE join_requests SET status = $3, decided_by = $4, decided_at = clock_timestamp()
        WHERE id = $1 AND organization_id = $2 AND status = 'PENDING'
        RETURNING user_id
     ), joined AS (
       UPDATE users SET organization_id = $2
        WHERE $3 = 'ACCEPTED' AND id = (SELECT user_id FROM decided) AND organization_id IS NULL
        RETURNING id
     )
     SELECT u.id AS "userId", u.email, u.display_name AS "displayName"
       FROM decided d JOIN users u ON u.id = d.user_id`,
    [requestId, organizationId, decision, decidedBy],
  );
  return rows[0] ?? null;
}

/** The organisations a contract's city team oversees: those that applied to its calls, and those not applying anywhere yet. */
export function organizationsOf(em: EntityManager, contractId: string): Promise<OrganizationRow[]> {
  return em.query(
    `SELECT o.id, o.name, o.legal_form AS "legalForm", o.siret, o.rna, o.contact_email AS "contactEmail",
            o.contact_email_confirmed_at IS NOT NULL AS "contactEmailConfirmed", o.created_at AS "createdAt",
            o.suspended_at AS "suspendedAt", o.suspension_reason AS "suspensionReason",
            (SELECT count(*)::int FROM users u WHERE u.organization_id = o.id AND u.disabled_at IS NULL) AS members,
            (SELECT count(*)::int FROM join_requests j WHERE j.organization_id = o.id AND j.status = 'PENDING') AS "pendingJoinRequests",
            (SELECT count(*)::int FROM grant_applications a WHERE a.organization_id = o.id AND a.contract_id = $1) AS applications
       FROM organizations o
      WHERE EXISTS (SELECT 1 FROM grant_applications a WHERE a.organization_id = o.id AND a.contract_id = $1)
         OR NOT EXISTS (SELECT 1 FROM grant_applications a WHERE a.organization_id = o.id)
      ORDER BY o.created_at DESC LIMIT 500`,
    [contractId],
  );
}

/** Whether the contract's city team oversees this organisation (see `organizationsOf`). */
export async function oversees(
  em: EntityManager,
  contractId: string,
  organizationId: string,
): Promise<boolean> {
  const rows = await em.query<unknown[]>(
    `SELECT 1 FROM organizations o
      WHERE o.id = $2
        AND (EXISTS (SELECT 1 FROM grant_applications a WHERE a.organization_id = o.id AND a.contract_id = $1)
             OR NOT EXISTS (SELECT 1 FROM grant_applications a WHERE a.organization_id = o.id))`,
    [contractId, organizationId],
  );
  return rows.length > 0;
}

export interface OrganizationRow {
  id: string;
  name: string;
  legalForm: string;
  siret: string | null;
  rna: string | null;
  contactEmail: string;
  contactEmailConfirmed: boolean;
  createdAt: Date;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  members: number;
  pendingJoinRequests: number;
  applications: number;
}

/** A new password set by a reset link: the address counts as confirmed (the link reached it). */
export async function setPasswordFromReset(
  em: EntityManager,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await em.query(
    `UPDATE users SET password_hash = $2, must_change_password = false,
            email_confirmed_at = coalesce(email_confirmed_at, clock_timestamp())
      WHERE id = $1 AND disabled_at IS NULL`,
    [userId, passwordHash],
  );
}

/**
 * Confirms a user's address if it is still the one the link was sent to, and the organisation's contact
 * address with it when they are the same.
 */
export async function confirmUserEmail(em: EntityManager, userId: string, email: string): Promise<void> {
  await em.query(
    `UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, clock_timestamp()) WHERE id = $1 AND email = $2`,
    [userId, email],
  );
  await confirmContactEmail(em, null, email, userId);
}

/** Confirms an organisation's contact address if it is still the one the link was sent to. */
export async function confirmContactEmail(
  em: EntityManager,
  organizationId: string | null,
  email: string,
  memberId?: string,
): Promise<void> {
  await em.query(
    `UPDATE organizations SET contact_email_confirmed_at = coalesce(contact_email_confirmed_at, clock_timestamp())
      WHERE id = coalesce($1::uuid, (SELECT organization_id FROM users WHERE id = $3::uuid))
        AND lower(contact_email) = lower($2)`,
    [organizationId, email, memberId ?? null],
  );
}
