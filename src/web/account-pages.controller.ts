import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AllowedToRestrictedAccount, ROLES, Roles, type AuthUser } from '../common/auth.js';
import { AccountsService } from '../modules/accounts/accounts.service.js';
import { ChangePasswordDto, LoginDto, RegisterDto } from '../modules/accounts/dto/auth.dto.js';
import { MembershipService } from '../modules/membership/membership.service.js';
import {
  AcceptInvitationDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
} from '../modules/membership/dto/membership.dto.js';
import { refusalOf, validateForm, type FormFields } from './form-validation.js';
import {
  Pages,
  PublicPage,
  redirectAfterSave,
  redirectWithFlash,
  sendPage,
  type PageRequest,
} from './pages.js';
import { destroy, regenerate, SIGNED_IN_COOKIE } from './session.js';

type Form = Record<string, string | string[] | undefined>;
const text = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value[0] : (value ?? '')).toString();

const LOGIN_FIELDS: FormFields = {
  email: { id: 'email', label: 'Adresse électronique' },
  password: { id: 'password', label: 'Mot de passe' },
};

const REGISTER_FIELDS: FormFields = {
  displayName: { id: 'displayName', label: 'Votre nom' },
  email: { id: 'email', label: 'Adresse électronique' },
  password: { id: 'password', label: 'Mot de passe' },
  'organization.name': { id: 'organizationName', label: 'Nom de la structure' },
  'organization.legalForm': { id: 'legalForm', label: 'Forme juridique' },
  'organization.siret': { id: 'siret', label: 'Numéro SIRET' },
  'organization.rna': { id: 'rna', label: 'Numéro RNA' },
  'organization.address': { id: 'address', label: 'Adresse du siège' },
  'organization.legalRepresentative': { id: 'legalRepresentative', label: 'Représentant légal' },
  'organization.contactEmail': { id: 'contactEmail', label: 'Adresse électronique de la structure' },
  organization: { id: 'organizationName', label: 'Structure' },
};

const RESET_FIELDS: FormFields = { email: { id: 'email', label: 'Adresse électronique' } };
const NEW_PASSWORD_FIELDS: FormFields = {
  newPassword: { id: 'newPassword', label: 'Nouveau mot de passe' },
  token: { id: 'newPassword', label: 'Lien' },
};
const CHANGE_PASSWORD_FIELDS: FormFields = {
  currentPassword: { id: 'currentPassword', label: 'Mot de passe actuel' },
  newPassword: { id: 'newPassword', label: 'Nouveau mot de passe' },
};
const INVITATION_FIELDS: FormFields = {
  displayName: { id: 'displayName', label: 'Votre nom' },
  password: { id: 'password', label: 'Mot de passe' },
  token: { id: 'displayName', label: 'Lien' },
};

/** Where each role lands after signing in (its pages of web.md). */
function homeOf(user: AuthUser): string {
  const homes: Record<string, string> = {
    ASSOCIATION: '/dossiers',
    FINANCER: '/instruction',
    CITY_TEAM: '/pilotage',
    NATIONAL: '/national',
  };
  return homes[user.role] ?? '/';
}

/** A return address given to « Se connecter »: a path of this site only (never `//elsewhere`). */
function safeReturn(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}

/**
 * The account's pages: signing in and out, « Créer un compte » (account and organisation), confirming the
 * address, « Mot de passe oublié » and its link, changing one's password, accepting an invitation. They call
 * the services of the API's `auth/*` routes and share their throttles.
 */
@Pages()
export class AccountPagesController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly membership: MembershipService,
  ) {}

  /** Opens the page session of a user whose identity was just proven: a new session id, then the user. */
  private async startSession(request: PageRequest, response: Response, user: AuthUser): Promise<void> {
    await regenerate(request);
    request.session.userId = user.id;
    request.session.authSessionId = user.sessionId;
    request.user = user;
    response.cookie(SIGNED_IN_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/' });
  }

  @PublicPage()
  @Get('connexion')
  loginPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('retour') returnTo?: string,
  ): void {
    if (request.user) return response.redirect(303, safeReturn(returnTo) ?? homeOf(request.user));
    sendPage(request, response, 'account/login.njk', { returnTo: safeReturn(returnTo), values: {} });
  }

  @PublicPage()
  @Post('connexion')
  async login(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    const returnTo = safeReturn(form.retour);
    const values = { email: text(form.email) };
    const { value, errors } = await validateForm(
      LoginDto,
      { email: text(form.email), password: text(form.password) },
      LOGIN_FIELDS,
    );
    if (errors.length === 0) {
      try {
        const user = await this.accounts.signIn(value.email, value.password);
        await this.startSession(request, response, user);
        return redirectAfterSave(request, response, returnTo ?? homeOf(user));
      } catch (error) {
        errors.push(...refusalOf(error, LOGIN_FIELDS));
      }
    }
    sendPage(request, response, 'account/login.njk', { returnTo, values, errors }, 422);
  }

  /** Signs out: the session's auth session is closed and the page session destroyed. */
  @PublicPage()
  @Post('deconnexion')
  async logout(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    if (request.user) await this.accounts.logout(request.user);
    await destroy(request);
    response.clearCookie(SIGNED_IN_COOKIE, { path: '/' });
    response.redirect(303, '/connexion?deconnecte=1');
  }

  @PublicPage()
  @Get('inscription')
  registerPage(@Req() request: PageRequest, @Res() response: Response): void {
    if (request.user) return response.redirect(303, homeOf(request.user));
    sendPage(request, response, 'account/register.njk', { values: {} });
  }

  @PublicPage()
  @Post('inscription')
  async register(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    const values = Object.fromEntries(
      [
        'displayName',
        'email',
        'organizationName',
        'legalForm',
        'siret',
        'rna',
        'address',
        'legalRepresentative',
        'contactEmail',
      ].map((name) => [name, text(form[name])]),
    );
    const optional = (value: string) => (value.trim() === '' ? undefined : value);
    const { value, errors } = await validateForm(
      RegisterDto,
      {
        displayName: values.displayName,
        email: values.email,
        password: text(form.password),
        organization: {
          name: values.organizationName,
          legalForm: values.legalForm,
          siret: optional(values.siret),
          rna: optional(values.rna),
          address: values.address,
          legalRepresentative: values.legalRepresentative,
          contactEmail: values.contactEmail || values.email,
        },
      },
      REGISTER_FIELDS,
    );
    if (errors.length === 0) {
      try {
        const outcome = await this.membership.register(value);
        const userId = outcome.kind === 'REGISTERED' ? outcome.result.user.id : undefined;
        const user = userId ? await this.accounts.openSessionFor(userId) : null;
        if (user) {
          await this.startSession(request, response, user);
          return redirectWithFlash(
            request,
            response,
            '/dossiers',
            `Votre compte est créé. Un lien de confirmation a été envoyé à ${user.email} : suivez-le avant de déposer un dossier.`,
          );
        }
        return sendPage(request, response, 'account/join-requested.njk', { email: value.email });
      } catch (error) {
        errors.push(...refusalOf(error, REGISTER_FIELDS));
      }
    }
    sendPage(request, response, 'account/register.njk', { values, errors }, 422);
  }

  /** The link of the confirmation email: a button confirms (a GET never changes anything). */
  @PublicPage()
  @Get('compte/confirmer')
  confirmPage(@Req() request: PageRequest, @Res() response: Response, @Query('token') token?: string): void {
    sendPage(request, response, 'account/confirm.njk', { token: token ?? '' });
  }

  @PublicPage()
  @Post('compte/confirmer')
  async confirm(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    try {
      await this.membership.confirmEmail(text(form.token));
    } catch (error) {
      const errors = refusalOf(error, { token: { id: 'confirmer', label: 'Lien' } });
      return sendPage(request, response, 'account/confirm.njk', { token: text(form.token), errors }, 422);
    }
    redirectWithFlash(
      request,
      response,
      request.user ? '/dossiers' : '/connexion',
      'Votre adresse électronique est confirmée.',
    );
  }

  @PublicPage()
  @Get('mot-de-passe-oublie')
  resetPage(@Req() request: PageRequest, @Res() response: Response): void {
    sendPage(request, response, 'account/reset-request.njk', { values: {} });
  }

  /** Answers the same whether the address has an account or not. */
  @PublicPage()
  @Post('mot-de-passe-oublie')
  async requestReset(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() form: Form,
  ): Promise<void> {
    const values = { email: text(form.email) };
    const { value, errors } = await validateForm(PasswordResetRequestDto, values, RESET_FIELDS);
    if (errors.length > 0)
      return sendPage(request, response, 'account/reset-request.njk', { values, errors }, 422);
    await this.membership.requestPasswordReset(value.email);
    sendPage(request, response, 'account/reset-sent.njk', { email: value.email });
  }

  @PublicPage()
  @Get('mot-de-passe-oublie/nouveau')
  newPasswordPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('token') token?: string,
  ): void {
    sendPage(request, response, 'account/reset-new.njk', { token: token ?? '' });
  }

  @PublicPage()
  @Post('mot-de-passe-oublie/nouveau')
  async resetPassword(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() form: Form,
  ): Promise<void> {
    const token = text(form.token);
    const { value, errors } = await validateForm(
      PasswordResetConfirmDto,
      { token, newPassword: text(form.newPassword) },
      NEW_PASSWORD_FIELDS,
    );
    if (errors.length === 0) {
      try {
        await this.membership.confirmPasswordReset(value.token, value.newPassword);
        return redirectWithFlash(
          request,
          response,
          '/connexion',
          'Votre mot de passe est changé : connectez-vous avec le nouveau.',
        );
      } catch (error) {
        errors.push(...refusalOf(error, NEW_PASSWORD_FIELDS));
      }
    }
    sendPage(request, response, 'account/reset-new.njk', { token, errors }, 422);
  }

  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @Get('compte/mot-de-passe')
  changePasswordPage(@Req() request: PageRequest, @Res() response: Response): void {
    sendPage(request, response, 'account/change-password.njk', {});
  }

  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @Post('compte/mot-de-passe')
  async changePassword(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() form: Form,
  ): Promise<void> {
    const { value, errors } = await validateForm(
      ChangePasswordDto,
      { currentPassword: text(form.currentPassword), newPassword: text(form.newPassword) },
      CHANGE_PASSWORD_FIELDS,
    );
    if (errors.length === 0) {
      try {
        await this.accounts.changePassword(request.user!, value.currentPassword, value.newPassword);
        return redirectWithFlash(request, response, homeOf(request.user!), 'Votre mot de passe est changé.');
      } catch (error) {
        errors.push(...refusalOf(error, CHANGE_PASSWORD_FIELDS));
      }
    }
    sendPage(request, response, 'account/change-password.njk', { errors }, 422);
  }

  /** The invitation's link: the invited person chooses its name and password, then is signed in. */
  @PublicPage()
  @Get('invitation')
  invitationPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('token') token?: string,
  ): void {
    sendPage(request, response, 'account/invitation.njk', { token: token ?? '', values: {} });
  }

  @PublicPage()
  @Post('invitation')
  async acceptInvitation(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() form: Form,
  ): Promise<void> {
    const token = text(form.token);
    const values = { displayName: text(form.displayName) };
    const { value, errors } = await validateForm(
      AcceptInvitationDto,
      { token, displayName: values.displayName, password: text(form.password) },
      INVITATION_FIELDS,
    );
    if (errors.length === 0) {
      try {
        const created = await this.membership.acceptInvitation(
          value.token,
          value.displayName,
          value.password,
        );
        const user = await this.accounts.openSessionFor(created.id);
        if (user) await this.startSession(request, response, user);
        return redirectWithFlash(
          request,
          response,
          '/dossiers',
          'Bienvenue : vous êtes membre de la structure.',
        );
      } catch (error) {
        errors.push(...refusalOf(error, INVITATION_FIELDS));
      }
    }
    sendPage(request, response, 'account/invitation.njk', { token, values, errors }, 422);
  }
}
