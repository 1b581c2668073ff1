import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { auditedTransaction, recordActor } from '../../database/audit-actor.js';
import {
  closeSessions,
  confirmContactEmail,
  confirmedMembers,
  confirmUserEmail,
  retireTokens,
  setPasswordFromReset,
} from '../accounts/accounts.repository.js';
import {
  assertEmailFree,
  siretOrRnaRequired,
  toOrganizationDto,
  toUserDto,
  uniqueViolation,
} from '../accounts/accounts.service.js';
import { JoinRequestEntity } from '../accounts/join-request.entity.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { assertPasswordAcceptable } from '../accounts/password-policy.js';
import { hashPassword } from '../accounts/password.js';
import { UserEntity } from '../accounts/user.entity.js';
import type { RegisterDto, RegisterResultDto, UserDto } from '../accounts/dto/auth.dto.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { addToOutbox, type NewNotification } from '../notifications/outbox.repository.js';
import { AccountLinks, tokenInvalid } from './account-links.js';
import '../accounts/accounts.errors.js'; // registers the codes thrown here
import './membership.errors.js';

export type RegistrationOutcome =
  { kind: 'REGISTERED'; result: RegisterResultDto } | { kind: 'JOIN_REQUESTED'; joinRequestId: string };

/**
 * The account's life beyond signing in: registration (or a request to join an organisation already
 * registered), confirming one's address and the organisation's contact address, password reset by a
 * single-use link, invitations (`AccountLinks`). The organisations themselves: `OrganizationsService`.
 */
@Injectable()
export class MembershipService {
  private readonly logger = new Logger(MembershipService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly links: AccountLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers a project holder and its first member, or, when an organisation with that SIRET or RNA is
   * registered already, the account alone and a request to join it, which its members are emailed. Either
   * way the new address gets a confirmation link; a contact address other than it gets its own.
   */
  async register(input: RegisterDto): Promise<RegistrationOutcome> {
    if (!input.organization.siret && !input.organization.rna) throw siretOrRnaRequired('organization.siret');
    assertPasswordAcceptable(input.password);
    // Before hashing: a taken address costs no hash (a flood of them cannot use the CPU).
    await assertEmailFree(this.dataSource.manager, input.email);
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
        await this.links.issue(em, 'EMAIL_CONFIRMATION', user.email, { userId: user.id }, (link) => ({
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
          await this.links.issue(
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
        await this.links.issue(em, 'PASSWORD_RESET', user.email, { userId: user.id }, (link) => ({
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
    const known = await this.links.usable(this.dataSource.manager, 'PASSWORD_RESET', token);
    const passwordHash = await hashPassword(newPassword);
    await auditedTransaction(this.dataSource, { id: known.userId! }, async (em) => {
      const used = await this.links.use(em, ['PASSWORD_RESET'], token);
      if (!used.userId) throw tokenInvalid();
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
      const used = await this.links.use(em, ['EMAIL_CONFIRMATION', 'CONTACT_CONFIRMATION'], token);
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
          await this.links.issue(em, 'EMAIL_CONFIRMATION', user.email, { userId: user.id }, (link) => ({
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
          await this.links.issue(
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

  /** Creates the invited person's account, a member of the organisation, its address confirmed by the link. */
  async acceptInvitation(token: string, displayName: string, password: string): Promise<UserDto> {
    assertPasswordAcceptable(password);
    const known = await this.links.usable(this.dataSource.manager, 'INVITATION', token);
    await assertEmailFree(this.dataSource.manager, known.email);
    const passwordHash = await hashPassword(password);
    const userId = randomUUID();
    try {
      const user = await auditedTransaction(this.dataSource, { id: userId }, async (em) => {
        const used = await this.links.use(em, ['INVITATION'], token);
        if (!used.organizationId) throw tokenInvalid();
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
}
