import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApplicationError, conflict, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import {
  decideJoinRequest,
  joinRequestsOf,
  organizationsOf,
  oversees,
  type JoinRequestRow,
  type OrganizationRow,
} from '../accounts/accounts.repository.js';
import {
  assertEmailFree,
  siretOrRnaRequired,
  toOrganizationDto,
  uniqueViolation,
} from '../accounts/accounts.service.js';
import { JoinRequestEntity } from '../accounts/join-request.entity.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { addToOutbox } from '../notifications/outbox.repository.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { AccountLinks } from './account-links.js';
import type { MyOrganizationDto, UpdateOrganizationDto } from './dto/membership.dto.js';
import '../accounts/accounts.errors.js'; // registers the codes thrown here
import './membership.errors.js';

/**
 * The organisations: a member's record of its own (its SIRET added later, a new contact address confirmed
 * again), requests to join answered by its members or the city team, and the city team's oversight (the
 * organisations it sees, suspension).
 */
@Injectable()
export class OrganizationsService {
  private readonly logger = new Logger(OrganizationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly links: AccountLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A member invites someone by e-mail to join its organisation. */
  async invite(member: AuthUser, email: string): Promise<{ invitationId: string }> {
    const organizationId = member.organizationId!;
    await assertEmailFree(this.dataSource.manager, email);
    const { invitationId, ids } = await auditedTransaction(this.dataSource, member, async (em) => {
      const organization = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: organizationId });
      const mail = await this.links.issue(
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
        if (!siret && !rna) throw siretOrRnaRequired('siret');
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
          await this.links.issue(
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
  list(cityTeam: AuthUser): Promise<OrganizationRow[]> {
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
