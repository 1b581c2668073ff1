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
}

export const IS_PUBLIC = 'isPublic';
export const ROLES_KEY = 'roles';

export const BEFORE_PASSWORD_CHANGE = 'beforePasswordChange';

/** The route is open to a user who must change its password first (who am I, change it, sign out). */
export const AllowedBeforePasswordChange = (): MethodDecorator => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

/** The route needs no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (others: 403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
