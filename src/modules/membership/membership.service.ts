import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationError, conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { auditedTransaction, recordActor } from '../../database/audit-actor.js';
import { AccountTokenEntity, type TokenPurpose } from '../accounts/account-token.entity.js';
import {
  closeSessions,
  confirmContactEmail,
  confirmedMembers,
  confirmUserEmail,
  decideJoinRequest,
  joinRequestsOf,
  organizationsOf,
  oversees,
  retireTokens,
  setPasswordFromReset,
  useToken,
  type JoinRequestRow,
  type OrganizationRow,
} from '../accounts/accounts.repository.js';
import { toOrganizationDto, toUserDto, uniqueViolation } from '../accounts/accounts.service.js';
import { JoinRequestEntity } from '../accounts/join-request.entity.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { assertPasswordAcceptable } from '../accounts/password-policy.js';
import { hashPassword } from '../accounts/password.js';
import { UserEntity } from '../accounts/user.entity.js';
import type { RegisterDto, RegisterResultDto, UserDto } from '../accounts/dto/auth.dto.js';
import type { MyOrganizationDto, UpdateOrganizationDto } from './dto/membership.dto.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { addToOutbox, type NewNotification } from '../notifications/outbox.repository.js';
import '../accounts/accounts.errors.js'; // registers the codes thrown here
import './membership.errors.js';

const HOUR = 3600_000;
/** How long each kind of link stays valid. */
const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  PASSWORD_RESET: HOUR,
  EMAIL_CONFIRMATION: 7 * 24 * HOUR,
  CONTACT_CONFIRMATION: 7 * 24 * HOUR,
  INVITATION: 7 * 24 * HOUR,
};

/** Where each link leads (the pages of web.md); the token travels as the `token` query parameter. */
const LINK_PATH: Record<TokenPurpose, string> = {
  PASSWORD_RESET: '/mot-de-passe-oublie/nouveau',
  EMAIL_CONFIRMATION: '/compte/confirmer',
  CONTACT_CONFIRMATION: '/compte/confirmer',
  INVITATION: '/invitation',
};

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const tokenInvalid = (field = 'token'): ApplicationError =>
  unprocessable(
    'TOKEN_INVALID',
    'Ce lien n’est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau.',
    field,
  );

export type RegistrationOutcome =
  { kind: 'REGISTERED'; result: RegisterResultDto } | { kind: 'JOIN_REQUESTED'; joinRequestId: string };

/**
 * The account's life beyond signing in: registration (or a request to join an organisation already
 * registered), confirming one's address and the organisation's contact address, password reset by a
 * single-use link, invitations, and the city team's oversight of organisations. Every link's token is stored
 * as its SHA-256 only, and used by one conditional UPDATE.
 */
@Injectable()
export class MembershipService {
  private readonly logger = new Logger(MembershipService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers a project holder and its first member, or, when an organisation with that SIRET or RNA is
   * registered already, the account alone and a request to join it, which its members are emailed. Either
   * way the new address gets a confirmation link; a contact address other than it gets its own.
   */
  async register(input: RegisterDto): Promise<RegistrationOutcome> {
    if (!input.organization.siret && !input.organization.rna) {
      throw new ApplicationError(
        'BAD_REQUEST',
        'SIRET_OR_RNA_REQUIRED',
        'Indiquez le SIRET ou le numéro RNA de la structure.',
        [
          {
            field: 'organization.siret',
            code: 'SIRET_OR_RNA_REQUIRED',
            message: 'Indiquez le SIRET ou le numéro RNA de la structure.',
          },
        ],
      );
    }
    assertPasswordAcceptable(input.password);
    // Before hashing: a taken address costs no hash (a flood of them cannot use the CPU).
    await this.assertEmailFree(input.email);
    const passwordHash = await hashPassword(input.password);
    // Two registrations of one new organisation racing: the loser finds it on its second try and asks to join.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { outcome, emails } = await this.registerOnce(input, passwordHash);
        await this.notifications.dispatch(emails);
        return outcome;
      } catch (error) {
        const known = uniqueViolation(error);
        if (known?.details?.[0]?.code === 'ORGANIZATION_ALREADY_REGISTERED' && attempt === 0) continue;
        throw known ?? error;
      }
    }
  }

  private async registerOnce(
    input: RegisterDto,
    passwordHash: string,
  ): Promise<{ outcome: RegistrationOutcome; emails: string[] }> {
    // The registrant is the actor of its own registration: its id is chosen here, before its row exists.
    const userId = randomUUID();
    return auditedTransaction(this.dataSource, { id: userId }, async (em) => {
      const { siret, rna } = input.organization;
      const existing = await em.getRepository(OrganizationEntity).findOne({
        where: [...(siret ? [{ siret }] : []), ...(rna ? [{ rna }] : [])],
      });
      const organization =
        existing ??
        (await em.save(
          em.create(OrganizationEntity, { ...input.organization, siret: siret ?? null, rna: rna ?? null }),
        ));
      const user = await em.save(
        em.create(UserEntity, {
          id: userId,
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: 'ASSOCIATION',
          // A request to join: no organisation until a member accepts.
          organizationId: existing ? null : organization.id,
        }),
      );
      const mails: NewNotification[] = [
        await this.linkEmail(em, 'EMAIL_CONFIRMATION', user.email, { userId: user.id }, (link) => ({
          type: 'EMAIL_CONFIRMATION',
          payload: { displayName: user.displayName, link },
        })),
      ];
      if (existing) {
        const request = await em.save(
          em.create(JoinRequestEntity, { organizationId: existing.id, userId: user.id }),
        );
        for (const member of await confirmedMembers(em, existing.id)) {
          mails.push({
            type: 'JOIN_REQUEST',
            to: member.email,
            payload: {
              organizationName: existing.name,
              requesterName: user.displayName,
              requesterEmail: user.email,
              link: `${this.config.publicUrl}/organisation/membres`,
            },
            dedupeKey: `join-request:${request.id}:${member.id}`,
            contractId: null,
          });
        }
        this.logger.log(`User ${user.id} asks to join organisation ${existing.id} (request ${request.id})`);
        return {
          outcome: { kind: 'JOIN_REQUESTED', joinRequestId: request.id },
          emails: await addToOutbox(em, mails),
        };
      }
      if (organization.contactEmail.toLowerCase() !== user.email) {
        mails.push(
          await this.linkEmail(
            em,
            'CONTACT_CONFIRMATION',
            organization.contactEmail,
            { organizationId: organization.id, userId: null },
            (link) => ({
              type: 'CONTACT_CONFIRMATION',
              payload: { organizationName: organization.name, link },
            }),
          ),
        );
      }
      this.logger.log(`Organisation ${organization.id} registered by user ${user.id}`);
      return {
        outcome: {
          kind: 'REGISTERED',
          result: {
            user: toUserDto({ ...user, partnerCode: null }),
            organization: toOrganizationDto(organization),
          },
        },
        emails: await addToOutbox(em, mails),
      };
    });
  }

  private async assertEmailFree(email: string): Promise<void> {
    if (await this.dataSource.getRepository(UserEntity).exists({ where: { email } }))
      throw conflict('EMAIL_TAKEN', 'Un compte existe déjà avec cette adresse e-mail.');
  }

  /** Issues a single-use token (its hash stored) and the email carrying its link. */
  private async linkEmail(
    em: EntityManager,
    purpose: TokenPurpose,
    to: string,
    subject: { userId?: string | null; organizationId?: string | null; createdBy?: string | null },
    email: (link: string) => Pick<NewNotification, 'type' | 'payload'>,
  ): Promise<NewNotification> {
    const token = randomBytes(32).toString('base64url');
    const row = await em.save(
      em.create(AccountTokenEntity, {
        purpose,
        tokenHash: hashToken(token),
        userId: subject.userId ?? null,
        organizationId: subject.organizationId ?? null,
        createdBy: subject.createdBy ?? null,
        email: to,
        expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
      }),
    );
    const link = `${this.config.publicUrl}${LINK_PATH[purpose]}?token=${token}`;
    return {
      ...email(link),
      to,
      dedupeKey: `${purpose.toLowerCase()}:${row.id}`,
      contractId: null,
    } as NewNotification;
  }

  /**
   * Sends a reset link to the address if it has an enabled account; answers the same either way (the
   * caller says 202 whatever happened). A new link replaces the ones sent before.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email } });
    if (!user || user.disabledAt) return;
    const ids = await auditedTransaction(this.dataSource, { id: user.id }, async (em) => {
      await retireTokens(em, user.id, 'PASSWORD_RESET');
      return addToOutbox(em, [
        await this.linkEmail(em, 'PASSWORD_RESET', user.email, { userId: user.id }, (link) => ({
          type: 'PASSWORD_RESET',
          payload: { displayName: user.displayName, link },
        })),
      ]);
    });
    await this.notifications.dispatch(ids);
  }

  /**
   * Sets a new password with a reset link's token, once: every session of the user closes, and the address
   * counts as confirmed (the link reached it).
   */
  async confirmPasswordReset(token: string, newPassword: string): Promise<void> {
    assertPasswordAcceptable(newPassword, 'newPassword');
    // A token that cannot work costs no hash.
    const known = await this.dataSource.getRepository(AccountTokenEntity).findOne({
      where: { tokenHash: hashToken(token), purpose: 'PASSWORD_RESET' },
    });
    if (!known || known.usedAt || known.expiresAt.getTime() <= Date.now()) throw tokenInvalid();
    const passwordHash = await hashPassword(newPassword);
    await auditedTransaction(this.dataSource, { id: known.userId! }, async (em) => {
      const used = await useToken(em, ['PASSWORD_RESET'], hashToken(token));
      if (!used?.userId) throw tokenInvalid();
      await setPasswordFromReset(em, used.userId, passwordHash);
      await closeSessions(em, used.userId);
    });
    this.logger.log(`Password of ${known.userId} reset by link`);
  }

  /**
   * Confirms an address with its link's token, once: a user's own (and the organisation's contact address
   * when it is the same), or an organisation's contact address. An address changed since the link was sent
   * is not confirmed by it.
   */
  async confirmEmail(token: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const used = await useToken(em, ['EMAIL_CONFIRMATION', 'CONTACT_CONFIRMATION'], hashToken(token));
      if (!used) throw tokenInvalid();
      if (used.userId) await recordActor(em, { id: used.userId });
      if (used.purpose === 'EMAIL_CONFIRMATION' && used.userId)
        await confirmUserEmail(em, used.userId, used.email);
      else if (used.organizationId) await confirmContactEmail(em, used.organizationId, used.email);
    });
  }

  /** Sends the confirmation link again (the user's own address, and its organisation's contact address if unconfirmed). */
  async resendConfirmation(user: AuthUser): Promise<void> {
    const ids = await this.dataSource.transaction(async (em) => {
      const mails: NewNotification[] = [];
      if (!user.emailConfirmed)
        mails.push(
          await this.linkEmail(em, 'EMAIL_CONFIRMATION', user.email, { userId: user.id }, (link) => ({
            type: 'EMAIL_CONFIRMATION',
            payload: { displayName: user.displayName, link },
          })),
        );
      const organization = user.organizationId
        ? await em.getRepository(OrganizationEntity).findOneBy({ id: user.organizationId })
        : null;
      if (
        organization &&
        !organization.contactEmailConfirmedAt &&
        organization.contactEmail.toLowerCase() !== user.email
      )
        mails.push(
          await this.linkEmail(
            em,
            'CONTACT_CONFIRMATION',
            organization.contactEmail,
            { organizationId: organization.id, userId: null, createdBy: user.id },
            (link) => ({
              type: 'CONTACT_CONFIRMATION',
              payload: { organizationName: organization.name, link },
            }),
          ),
        );
      return addToOutbox(em, mails);
    });
    await this.notifications.dispatch(ids);
  }

  /** A member invites someone by e-mail to join its organisation. */
  async invite(member: AuthUser, email: string): Promise<{ invitationId: string }> {
    const organizationId = member.organizationId!;
    await this.assertEmailFree(email);
    const { invitationId, ids } = await auditedTransaction(this.dataSource, member, async (em) => {
      const organization = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: organizationId });
      const mail = await this.linkEmail(
        em,
        'INVITATION',
        email,
        { organizationId, userId: null, createdBy: member.id },
        (link) => ({
          type: 'INVITATION',
          payload: { organizationName: organization.name, inviterName: member.displayName, link },
        }),
      );
      return { invitationId: mail.dedupeKey.split(':')[1], ids: await addToOutbox(em, [mail]) };
    });
    await this.notifications.dispatch(ids);
    this.logger.log(`User ${member.id} invited someone to organisation ${organizationId}`);
    return { invitationId };
  }

  /** Creates the invited person's account, a member of the organisation, its address confirmed by the link. */
  async acceptInvitation(token: string, displayName: string, password: string): Promise<UserDto> {
    assertPasswordAcceptable(password);
    const known = await this.dataSource.getRepository(AccountTokenEntity).findOne({
      where: { tokenHash: hashToken(token), purpose: 'INVITATION' },
    });
    if (!known || known.usedAt || known.expiresAt.getTime() <= Date.now()) throw tokenInvalid();
    await this.assertEmailFree(known.email);
    const passwordHash = await hashPassword(password);
    const userId = randomUUID();
    try {
      const user = await auditedTransaction(this.dataSource, { id: userId }, async (em) => {
        const used = await useToken(em, ['INVITATION'], hashToken(token));
        if (!used?.organizationId) throw tokenInvalid();
        return em.save(
          em.create(UserEntity, {
            id: userId,
            email: used.email,
            passwordHash,
            displayName,
            role: 'ASSOCIATION',
            organizationId: used.organizationId,
            emailConfirmedAt: new Date(),
          }),
        );
      });
      this.logger.log(`User ${user.id} joined organisation ${user.organizationId} by invitation`);
      return toUserDto({ ...user, partnerCode: null });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }

  /** The member's organisation as its record stands. */
  async myOrganization(member: AuthUser): Promise<MyOrganizationDto> {
    const organization = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneByOrFail({ id: member.organizationId! });
    return {
      ...toOrganizationDto(organization),
      contactEmailConfirmed: organization.contactEmailConfirmedAt !== null,
    };
  }

  /**
   * Changes the member's organisation's record, checked as at registration: a SIRET added later (needed to
   * submit), a new address. A new contact address must be confirmed again before official emails go to it.
   */
  async updateMyOrganization(member: AuthUser, input: UpdateOrganizationDto): Promise<MyOrganizationDto> {
    const organizationId = member.organizationId!;
    // A field may be left out, not emptied: every one of them is required of an organisation.
    const emptied = Object.entries(input).filter(([, value]) => value === null);
    if (emptied.length > 0)
      throw new ApplicationError(
        'BAD_REQUEST',
        'VALIDATION_FAILED',
        `Données invalides : ${emptied.map(([field]) => field).join(', ')}.`,
        emptied.map(([field]) => ({ field, code: 'REQUIRED', message: `${field} ne peut pas être vide.` })),
      );
    try {
      const ids = await auditedTransaction(this.dataSource, member, async (em) => {
        const organizations = em.getRepository(OrganizationEntity);
        const organization = await organizations.findOneOrFail({
          where: { id: organizationId },
          lock: { mode: 'pessimistic_write' },
        });
        const siret = input.siret ?? organization.siret;
        const rna = input.rna ?? organization.rna;
        if (!siret && !rna)
          throw unprocessable(
            'SIRET_OR_RNA_REQUIRED',
            'Indiquez le SIRET ou le numéro RNA de la structure.',
            'siret',
          );
        const contactChanged =
          input.contactEmail !== undefined &&
          input.contactEmail.toLowerCase() !== organization.contactEmail.toLowerCase();
        Object.assign(organization, input);
        if (contactChanged) organization.contactEmailConfirmedAt = null;
        await organizations.save(organization);
        if (!contactChanged) return [];
        // The member's own confirmed address confirms it at once; another address gets its link.
        if (member.emailConfirmed && organization.contactEmail.toLowerCase() === member.email) {
          await organizations.update({ id: organizationId }, { contactEmailConfirmedAt: new Date() });
          return [];
        }
        return addToOutbox(em, [
          await this.linkEmail(
            em,
            'CONTACT_CONFIRMATION',
            organization.contactEmail,
            { organizationId, userId: null, createdBy: member.id },
            (link) => ({
              type: 'CONTACT_CONFIRMATION',
              payload: { organizationName: organization.name, link },
            }),
          ),
        ]);
      });
      await this.notifications.dispatch(ids);
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    this.logger.log(`Organisation ${organizationId} updated by ${member.id}`);
    return this.myOrganization(member);
  }

  /** The requests to join the member's organisation (or, for the city team, one it oversees). */
  async joinRequests(user: AuthUser, organizationId: string): Promise<JoinRequestRow[]> {
    await this.assertMayManage(user, organizationId);
    return joinRequestsOf(this.dataSource.manager, organizationId);
  }

  /** Accepts or refuses a pending request, once; the requester is emailed. */
  async decide(
    user: AuthUser,
    organizationId: string,
    requestId: string,
    decision: 'ACCEPTED' | 'REFUSED',
  ): Promise<void> {
    await this.assertMayManage(user, organizationId);
    const ids = await auditedTransaction(this.dataSource, user, async (em) => {
      const requester = await decideJoinRequest(em, organizationId, requestId, decision, user.id);
      if (!requester) {
        const exists = await em.getRepository(JoinRequestEntity).findOneBy({ id: requestId, organizationId });
        if (!exists) throw notFound('Demande');
        throw conflict('JOIN_REQUEST_DECIDED', 'Cette demande a déjà reçu une réponse.');
      }
      const organization = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: organizationId });
      return addToOutbox(em, [
        {
          type: 'JOIN_REQUEST_ANSWERED',
          to: requester.email,
          payload: {
            organizationName: organization.name,
            displayName: requester.displayName,
            answer:
              decision === 'ACCEPTED' ? 'acceptée : vous pouvez maintenant déposer ses dossiers' : 'refusée',
            link: `${this.config.publicUrl}/dossiers`,
          },
          dedupeKey: `join-request-answered:${requestId}`,
          contractId: null,
        },
      ]);
    });
    await this.notifications.dispatch(ids);
    this.logger.log(`Join request ${requestId} ${decision.toLowerCase()} by ${user.id}`);
  }

  /** The organisations the city team oversees, newest first. */
  organizations(cityTeam: AuthUser): Promise<OrganizationRow[]> {
    return organizationsOf(this.dataSource.manager, cityTeam.contractId!);
  }

  /** Suspends (or reinstates) an organisation the city team oversees: its members can no longer act. */
  async suspend(cityTeam: AuthUser, organizationId: string, reason: string | null): Promise<OrganizationRow> {
    await this.assertMayManage(cityTeam, organizationId);
    await auditedTransaction(this.dataSource, cityTeam, (em) =>
      em
        .getRepository(OrganizationEntity)
        .update(
          { id: organizationId },
          reason === null
            ? { suspendedAt: null, suspensionReason: null }
            : { suspendedAt: new Date(), suspensionReason: reason },
        ),
    );
    this.logger.log(
      `Organisation ${organizationId} ${reason === null ? 'reinstated' : 'suspended'} by ${cityTeam.id}`,
    );
    const rows = await organizationsOf(this.dataSource.manager, cityTeam.contractId!);
    return rows.find((row) => row.id === organizationId)!;
  }

  /** A member manages its own organisation; the city team, those it oversees; anyone else gets 404. */
  private async assertMayManage(user: AuthUser, organizationId: string): Promise<void> {
    if (user.role === 'ASSOCIATION' && user.organizationId === organizationId) return;
    if (
      user.role === 'CITY_TEAM' &&
      user.contractId &&
      (await oversees(this.dataSource.manager, user.contractId, organizationId))
    )
      return;
    throw notFound('Structure');
  }
}
