import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, unprocessable, unprocessableAll } from '../../common/application-error.js';
import { attestedCommitments, swornStatementProblems } from './sworn-statement.js';
import { officialEmail } from '../accounts/accounts.repository.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { frenchDateTime } from '../../common/french.js';
import { assertTransition } from '../../common/state-machine.js';
import { AccessService } from '../access/access.service.js';
import { rowRelations } from '../access/access-policy.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { assertNothingBlocks } from '../checks/checks.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { checksFrom } from './application-checks.js';
import type { GrantApplicationEntity } from './application.entity.js';
import { APPLICATION_TRANSITIONS, ApplicationStatus, EDITABLE_STATUSES } from './application-status.js';
import { ApplicationsRepository, type MoveOptions } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { holderEmail } from './dossier-emails.js';
import type { ApplicationDto, EligibilityDto, SubmitApplicationDto } from './dto/application.dto.js';
import './applications.errors.js'; // registers the codes thrown here

const STATUS_CONFLICT = 'APPLICATION_STATUS_CONFLICT';

/** The dossier's lifecycle: submission, return, eligibility, withdrawal; every status change goes through `move`. */
@Injectable()
export class ApplicationLifecycleService {
  private readonly logger = new Logger(ApplicationLifecycleService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ApplicationsRepository,
    private readonly reads: ApplicationsService,
    private readonly access: AccessService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Moves an application along its lifecycle table in one statement: status and version (with `also`, the
   * submission's columns), the history step, and `emails` in the outbox. It applies only if the row is still
   * at the version read: always so under the row lock; a caller that holds no lock (a submission) learns
   * from `moved` whether to decide again. Returns the new outbox rows.
   */
  async move(
    em: EntityManager,
    app: Pick<GrantApplicationEntity, 'id' | 'status' | 'version' | 'reference'>,
    to: ApplicationStatus,
    actor: AuthUser,
    options: MoveOptions = {},
  ): Promise<{ moved: boolean; emails: string[] }> {
    assertTransition(APPLICATION_TRANSITIONS, app.status, to, `Dossier ${app.reference}`, STATUS_CONFLICT);
    const written = await this.repository.moveIfVersion(em, app, to, actor.id, options);
    if (written.moved) {
      this.logger.log(`Application ${app.id}: ${app.status} → ${to} by ${actor.id}`);
      app.status = to;
      app.version += 1;
    }
    return written;
  }

  /** Locks the row for a status change and asks the policy on it.  */
  private async lock(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: 'application:edit' | 'application:instruct',
  ): Promise<GrantApplicationEntity> {
    // The locked row gives the relations the policy needs (owner, same contract): no second read.
    const app = await this.repository.lock(em, id);
    this.access.check(user, action, app ? rowRelations(user, app) : undefined);
    return app!;
  }

  /**
   * Submits a draft (or a returned application) in two statements and no transaction held across round trips:
   * one read of the application with what the checks and the acknowledgement need, then one write (status,
   * checks, certification, history step, acknowledgement in the outbox) that applies only if the row is
   * still at the version read. If it moved in between (an edit, a withdrawal), the submission starts over
   * from the new state, so the answer is the one a lock would have given.
   */
  async submit(user: AuthUser, id: string, input: SubmitApplicationDto): Promise<ApplicationDto> {
    for (let attempt = 1; ; attempt += 1) {
      const app = await this.repository.submissionFacts(id);
      this.access.check(
        user,
        'application:edit',
        app && { owner: app.organizationId === user.organizationId },
      );
      if (!app) throw new Error('unreachable: the policy refuses a missing application');
      if (!EDITABLE_STATUSES.includes(app.status)) {
        throw conflict(STATUS_CONFLICT, `Le dossier ${app.reference} est déjà déposé.`, {
          currentStatus: app.status,
        });
      }
      // A first submission needs the call open; a return asked by the city team may be answered during instruction.
      const open =
        app.status === 'DRAFT'
          ? app.campaignStatus === 'OPEN' && Date.now() <= app.submissionDeadline.getTime()
          : app.campaignStatus === 'OPEN' || app.campaignStatus === 'REVIEW';
      if (!open)
        throw conflict('SUBMISSION_CLOSED', 'La date limite de dépôt est passée.', {
          submissionDeadline: app.submissionDeadline.toISOString(),
        });

      // The acknowledgement and every official email go to addresses someone proved to hold.
      if (!user.emailConfirmed)
        throw unprocessable(
          'EMAIL_NOT_CONFIRMED',
          `Confirmez d’abord votre adresse électronique (${user.email}) avec le lien reçu à l’inscription ; vous pouvez le recevoir à nouveau depuis votre compte.`,
        );
      // A renewal waits for the report of the action it renews, once that report is overdue.
      const overdue = await this.repository.overdueReportOfRenewed(id);
      if (overdue)
        throw unprocessable(
          'PREVIOUS_REPORT_MISSING',
          `Le bilan de l’action que ce dossier renouvelle (${overdue}) n’a pas été rendu à la date prévue : déposez-le d’abord.`,
        );
      const certification = input.certification;
      if (!certification)
        throw unprocessable(
          'CERTIFICATION_REQUIRED',
          'Le représentant légal (ou la personne qu’il a mandatée) doit signer l’attestation sur l’honneur.',
          'certification',
        );
      const holderProblems = swornStatementProblems(
        certification,
        {
          siret: app.holderSiret,
          legalForm: app.holderLegalForm,
          legalRepresentative: app.holderRepresentative,
        },
        app.attachmentKinds,
      );
      const [firstProblem, ...otherProblems] = holderProblems;
      if (firstProblem) throw unprocessableAll([firstProblem, ...otherProblems]);
      const results = checksFrom(app, app);
      assertNothingBlocks(results, 'CHECKS_FAILED', 'Le dossier');

      const now = new Date();
      const written = await this.move(
        this.dataSource.manager,
        { id, status: app.status, version: app.version, reference: app.reference },
        'SUBMITTED',
        user,
        {
          also: {
            submittedAt: now,
            checks: results,
            // Every commitment the signatory gave, kept with the submitted version.
            certification: {
              signatoryName: certification.signatoryName,
              signatoryRole: certification.signatoryRole,
              certifiesAccuracy: true,
              obligationsUpToDate: true,
              budgetApproved: true,
              publicAidDeclared: true,
              paymentToOwnAccount: true,
              republicanCommitmentSigned: certification.republicanCommitmentSigned === true,
              certifiedAt: now.toISOString(),
              certifiedBy: user.id,
            },
          },
          // The acknowledgement of receipt, written with the submission; sent once committed, or by the sweep.
          emails: holderEmail(
            {
              id,
              version: app.version + 1,
              reference: app.reference,
              title: app.title ?? '',
              contractId: app.contractId,
            },
            { name: app.holderName, officialEmail: app.contactEmail },
            'APPLICATION_SUBMITTED',
            'submitted',
            {
              campaignTitle: app.campaignTitle,
              submittedAt: frenchDateTime(now),
              signatoryName: certification.signatoryName,
              signatoryRole: certification.signatoryRole,
              commitments: attestedCommitments(certification.republicanCommitmentSigned === true),
            },
          ),
        },
      );
      if (!written.moved) {
        // Changed since read: decide again on what it is now (an edit storm is answered as a conflict).
        if (attempt < 10) continue;
        throw conflict(STATUS_CONFLICT, `Le dossier ${app.reference} change en ce moment : réessayez.`);
      }
      await this.notifications.dispatch(written.emails);
      return this.reads.get(user, id);
    }
  }

  async returnToHolder(user: AuthUser, id: string, message: string): Promise<ApplicationDto> {
    const emails = await auditedTransaction(this.dataSource, user, async (em) => {
      const app = await this.lock(em, user, id, 'application:instruct');
      const holder = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: app.organizationId });
      const emails = holderEmail(
        { ...app, version: app.version + 1 },
        { name: holder.name, officialEmail: await officialEmail(em, app.organizationId) },
        'APPLICATION_RETURNED',
        'returned',
        {
          message,
        },
      );
      return (await this.move(em, app, 'RETURNED', user, { message, emails })).emails;
    });
    await this.notifications.dispatch(emails);
    return this.reads.get(user, id);
  }

  async decideEligibility(user: AuthUser, id: string, input: EligibilityDto): Promise<ApplicationDto> {
    if (!input.eligible && !input.reason?.trim()) {
      throw unprocessable(
        'REASON_REQUIRED',
        'Motivez la décision d’inéligibilité : le porteur la lira.',
        'reason',
      );
    }
    await auditedTransaction(this.dataSource, user, async (em) => {
      const app = await this.lock(em, user, id, 'application:instruct');
      await this.move(em, app, input.eligible ? 'ELIGIBLE' : 'INELIGIBLE', user, {
        message: input.reason?.trim() || undefined,
      });
    });
    return this.reads.get(user, id);
  }

  async withdraw(user: AuthUser, id: string): Promise<ApplicationDto> {
    await auditedTransaction(this.dataSource, user, async (em) => {
      const app = await this.lock(em, user, id, 'application:edit');
      await this.move(em, app, 'WITHDRAWN', user);
    });
    return this.reads.get(user, id);
  }
}
