import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const ROLES = ['ASSOCIATION', 'FINANCER', 'CITY_TEAM', 'NATIONAL'] as const;
export type Role = (typeof ROLES)[number];
/**
 * The roles of one contract. A route says nothing of roles is theirs; NATIONAL (the national agency, reading
 * sums across contracts) has no contract and reaches only the routes that name it.
 */
export const CONTRACT_ROLES: readonly Role[] = ['ASSOCIATION', 'FINANCER', 'CITY_TEAM'];

/** The authenticated caller, as the auth guard puts it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organizationId: string | null;
  partnerId: string | null;
  partnerCode: string | null;
  contractId: string | null;
  /** The session the token belongs to (signing out closes it). */
  sessionId: string;
  /** The user must change its password before anything else (the first city-team user). */
  mustChangePassword: boolean;
  /** The user followed the link sent to its address (needed to submit an application). */
  emailConfirmed: boolean;
  /** The user's organisation was suspended by a city team: its members can no longer act. */
  organizationSuspended: boolean;
}

export const IS_PUBLIC = 'isPublic';
/** A web page's route: signed in by the session cookie (the pages' guard), never by a bearer token. */
export const IS_PAGE = 'isPage';
export const ROLES_KEY = 'roles';

export const RESTRICTED_ACCOUNT_ALLOWED = 'restrictedAccountAllowed';

/**
 * The route is open to an account that may do nothing else yet (who am I, change one's password, sign out,
 * confirm one's address): a user who must change its password first, an association member whose request to
 * join is pending, a member of a suspended organisation.
 */
export const AllowedToRestrictedAccount = (): MethodDecorator =>
  SetMetadata(RESTRICTED_ACCOUNT_ALLOWED, true);

/** The route needs no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (others: 403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
