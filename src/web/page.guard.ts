import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  CONTRACT_ROLES,
  RESTRICTED_ACCOUNT_ALLOWED,
  ROLES_KEY,
  type AuthUser,
  type Role,
} from '../common/auth.js';
import { ApplicationError, forbidden } from '../common/application-error.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AccountsService } from '../modules/accounts/accounts.service.js';
import { ReferentialService } from '../modules/referential/referential.service.js';
import { csrfRefusal, SIGNED_IN_COOKIE } from './session.js';

export const PUBLIC_PAGE_KEY = 'publicPage';
/** The route reads a multipart form: its CSRF token is checked after multer (`UploadForm`). */
export const CSRF_AFTER_UPLOAD = 'csrfAfterUpload';

/** Thrown when a page needs a signed-in user and there is none: the error filter sends to « Se connecter ». */
export class SignInRequired extends Error {
  constructor(
    readonly returnTo: string,
    readonly expired: boolean,
  ) {
    super('sign-in required');
  }
}

/** Thrown when a signed-in user must first change its password: the filter sends it to that page. */
export class PasswordChangeRequired extends Error {}

/**
 * The pages' guard: every POST comes from our own pages (Origin and this session's CSRF token, or nothing
 * changes: 403); the user is the session's, reloaded on each request like the API's (a closed session, a
 * disabled account: signed out at once); the roles are the API's (@Roles, the contract's roles by default).
 * A bearer token is never read here.
 */
@Injectable()
export class PageGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
    private readonly referential: ReferentialService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const { userId, authSessionId } = request.session ?? {};
    const user = userId && authSessionId ? await this.accounts.findSessionUser(userId, authSessionId) : null;
    if (user) request.user = user;
    (request as Request & { contractName?: string }).contractName = await this.referential.contractName(
      user?.contractId,
    );
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_PAGE_KEY, targets);
    // Signed out or expired first: such a request changes nothing, and a draft's autosave is told the truth
    // (its session expired) rather than that its token is stale.
    if (!user && !isPublic) {
      const cookies = request.headers.cookie ?? '';
      throw new SignInRequired(
        request.method === 'GET' ? request.originalUrl : '',
        cookies.includes(`${SIGNED_IN_COOKIE}=`),
      );
    }
    // An upload's form is read by multer after the guards: its token is checked then (CsrfAfterUpload), its
    // Origin now; no other route reads a multipart body.
    const upload = this.reflector.getAllAndOverride<boolean>(CSRF_AFTER_UPLOAD, targets);
    const refusal =
      request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : csrfRefusal(request, this.config.publicUrl);
    if (refusal && !(upload && refusal === 'token'))
      throw new ApplicationError(
        'FORBIDDEN',
        'FORBIDDEN',
        'Ce formulaire a expiré ou ne vient pas de ce service : rechargez la page et recommencez.',
      );
    if (!user) return true;
    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(RESTRICTED_ACCOUNT_ALLOWED, targets)
    )
      throw new PasswordChangeRequired();
    if (
      (user.organizationSuspended || (user.role === 'ASSOCIATION' && !user.organizationId)) &&
      !this.reflector.getAllAndOverride<boolean>(RESTRICTED_ACCOUNT_ALLOWED, targets)
    )
      throw forbidden();
    const roles =
      this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, targets) ?? CONTRACT_ROLES;
    if (!roles.includes(user.role)) throw forbidden();
    return true;
  }
}
