import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../modules/accounts/user.entity.js';

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
}

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';

/** The route needs no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (others: 403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
