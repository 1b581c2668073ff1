import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { ApplicationError, forbidden } from '../../common/application-error.js';
import { isUuid } from '../../common/uuid-param.js';
import {
  AuthUser,
  RESTRICTED_ACCOUNT_ALLOWED,
  CONTRACT_ROLES,
  IS_PAGE,
  IS_PUBLIC,
  ROLES_KEY,
  type Role,
} from '../../common/auth.js';
import './accounts.errors.js'; // registers the codes thrown here
import { AccountsService } from './accounts.service.js';

const unauthenticated = (message: string): ApplicationError =>
  new ApplicationError('UNAUTHENTICATED', 'UNAUTHENTICATED', message);

/** Why an account may do nothing yet but the routes open to restricted accounts (who am I, sign out...). */
function restrictionOf(user: AuthUser): ApplicationError | undefined {
  if (user.mustChangePassword)
    return new ApplicationError(
      'FORBIDDEN',
      'PASSWORD_CHANGE_REQUIRED',
      'Changez le mot de passe reçu à l’installation avant toute autre action (POST /auth/password).',
    );
  if (user.organizationSuspended)
    return new ApplicationError(
      'FORBIDDEN',
      'ORGANIZATION_SUSPENDED',
      'Votre structure a été suspendue par l’équipe du contrat de ville : contactez-la.',
    );
  if (user.role === 'ASSOCIATION' && !user.organizationId)
    return new ApplicationError(
      'FORBIDDEN',
      'MEMBERSHIP_PENDING',
      'Votre demande pour rejoindre la structure attend la réponse de ses membres.',
    );
  return undefined;
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() names who may call it,
 * and a route that names no role is for the contract's roles (CONTRACT_ROLES).
 * The user is read again on each request, so a disabled or deleted user's token stops working at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    // Pages are guarded by their session (PageGuard): this guard, the API's, reads bearer tokens only.
    if (this.reflector.getAllAndOverride<boolean>(IS_PAGE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw unauthenticated('Authentification requise.');

    let payload: { sub?: unknown; sid?: unknown };
    try {
      payload = await this.jwt.verifyAsync<{ sub?: unknown; sid?: unknown }>(token, {
        algorithms: ['HS256'],
      });
    } catch {
      throw unauthenticated('Jeton invalide ou expiré.');
    }
    // A signed token whose subject or session is not an id is no valid token (and never reaches the database).
    const { sub, sid } = payload;
    if (typeof sub !== 'string' || !isUuid(sub) || typeof sid !== 'string' || !isUuid(sid))
      throw unauthenticated('Jeton invalide ou expiré.');
    // One query: the user, enabled, and the token's session, still open (signed out, password changed
    // elsewhere, disabled: 401 at once).
    const user = await this.accounts.findSessionUser(sub, sid);
    if (!user) throw unauthenticated('Jeton invalide ou expiré.');
    request.user = user;
    const restriction = restrictionOf(user);
    if (restriction && !this.reflector.getAllAndOverride<boolean>(RESTRICTED_ACCOUNT_ALLOWED, targets))
      throw restriction;

    const roles =
      this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, targets) ?? CONTRACT_ROLES;
    if (!roles.includes(user.role)) throw forbidden();
    return true;
  }
}
