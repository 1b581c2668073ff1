import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  ApplicationError,
  type CodedDetail,
  conflict,
  unprocessableAll,
} from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { formatEuros, sumCents } from '../../common/money.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { ApplicationRequestEntity } from '../applications/application-request.entity.js';
import { ApplicationLifecycleService } from '../applications/lifecycle.service.js';
import { AccessService } from '../access/access.service.js';
import { DECIDABLE_STATUSES } from '../applications/application-status.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { allocate } from '../campaigns/envelope.js';
import { ThemeEntity } from '../referential/theme.entity.js';
import { DecisionEntity } from './decision.entity.js';
import { DecisionChangeEntity } from './decision-change.entity.js';
import { envelopesByPartner, grantedByPartnerAndTheme } from '../campaigns/envelopes.repository.js';
import { loadDecisionsOf, loadDecisions, upsertDecision } from './decisions.repository.js';
import { decisionProblems } from './decisions.js';
import type { DecisionsResultDto, PutDecisionsDto } from './dto/decision.dto.js';
import './programming.errors.js'; // registers the codes thrown here

@Injectable()
export class DecisionsService {
  private readonly logger = new Logger(DecisionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: ApplicationLifecycleService,
    private readonly access: AccessService,
  ) {}

  /**
   * Records the COPIL's decisions on one application, all or nothing. Lock order: the campaign (shared,
   * so that closing the programming waits), the application, then the envelopes of the financers
   * concerned in partner order; the envelope check reads the granted sums under those locks.
   */
  async put(user: AuthUser, applicationId: string, input: PutDecisionsDto): Promise<DecisionsResultDto> {
    await auditedTransaction(this.dataSource, user, async (em) => {
      await this.access.require(user, 'application:instruct', { applicationId }, em);
      const peek = await em
        .getRepository(GrantApplicationEntity)
        .findOneOrFail({ where: { id: applicationId }, select: { id: true, campaignId: true } });
      const campaign = await em
        .getRepository(CampaignEntity)
        .findOne({ where: { id: peek.campaignId }, lock: { mode: 'pessimistic_read' } });
      if (campaign!.status !== 'REVIEW') {
        throw conflict(
          'CAMPAIGN_STATUS_CONFLICT',
          'Les décisions se prennent pendant l’instruction, avant la clôture de la programmation.',
          {
            campaignStatus: campaign!.status,
          },
        );
      }
      const app = await em
        .getRepository(GrantApplicationEntity)
        .findOneOrFail({ where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!DECIDABLE_STATUSES.includes(app.status)) {
        throw conflict('APPLICATION_NOT_DECIDABLE', 'Seuls les dossiers éligibles passent en COPIL.', {
          currentStatus: app.status,
        });
      }
      const requests = await em
        .getRepository(ApplicationRequestEntity)
        .find({ where: { applicationId }, relations: { partner: true } });
      const requested = new Map(requests.map((request) => [request.partner.code, request.requestedCents]));
      const problems = decisionProblems(input.decisions, requested);
      const [first, ...others] = problems;
      if (first) throw unprocessableAll([first, ...others]);

      const partnerOf = new Map(requests.map((request) => [request.partner.code, request.partnerId]));
      const nameOf = new Map(requests.map((request) => [request.partner.code, request.partner.name]));
      const partnerIds = [...partnerOf.values()].sort();
      const envelopes = await envelopesByPartner(em, campaign!.id, partnerIds, true);
      const granted = await grantedByPartnerAndTheme(em, campaign!.id, partnerIds);
      const previous = await em.getRepository(DecisionEntity).find({ where: { applicationId } });
      const theme = await em.getRepository(ThemeEntity).findOneByOrFail({ id: app.themeId });

      const exceeded: CodedDetail[] = [];
      for (const decision of input.decisions) {
        const partnerId = partnerOf.get(decision.partnerCode)!;
        const byTheme = new Map(granted.get(partnerId) ?? []);
        const old = previous.find((row) => row.partnerId === partnerId)?.grantedCents ?? 0;
        byTheme.set(theme.code, (byTheme.get(theme.code) ?? 0) - old + decision.grantedAmountCents);
        const allocation = allocate(
          envelopes.get(partnerId) ?? { byTheme: new Map(), allThemes: 0 },
          byTheme,
        );
        if (!allocation.fits) {
          exceeded.push({
            field: `decisions.${input.decisions.indexOf(decision)}.grantedAmountCents`,
            code: 'ENVELOPE_EXCEEDED',
            message:
              `L’enveloppe de ${nameOf.get(decision.partnerCode) ?? decision.partnerCode} pour « ${theme.label} » n’a plus que ` +
              `${formatEuros(Math.max(0, decision.grantedAmountCents - allocation.excessCents))} pour ce dossier : ` +
              `${formatEuros(decision.grantedAmountCents)} la dépasseraient de ${formatEuros(allocation.excessCents)}.`,
          });
        }
      }
      if (exceeded.length > 0)
        throw new ApplicationError('CONFLICT', 'ENVELOPE_EXCEEDED', exceeded[0].message, exceeded);

      for (const decision of input.decisions) {
        const partnerId = partnerOf.get(decision.partnerCode)!;
        const old = previous.find((row) => row.partnerId === partnerId);
        const reason = decision.reason?.trim() || null;
        if (old && old.grantedCents === decision.grantedAmountCents && old.reason === reason) continue;
        await upsertDecision(em, {
          applicationId,
          partnerId,
          campaignId: campaign!.id,
          grantedCents: decision.grantedAmountCents,
          reason,
          decidedBy: user.id,
        });
        await em.insert(DecisionChangeEntity, {
          applicationId,
          partnerId,
          oldGrantedCents: old?.grantedCents ?? null,
          newGrantedCents: decision.grantedAmountCents,
          reason,
          actorId: user.id,
        });
      }
      const total = sumCents(input.decisions.map((decision) => decision.grantedAmountCents));
      const status = total > 0 ? 'PROGRAMMED' : 'REJECTED';
      if (app.status !== status)
        await this.lifecycle.move(em, app, status, user, { message: input.copilNote });
      await em.update(GrantApplicationEntity, { id: applicationId }, { copilNote: input.copilNote ?? null });
      this.logger.log(`Decisions on ${applicationId}: ${formatEuros(total)} granted by ${user.id}`);
    });
    return this.get(user, applicationId);
  }

  /** The decisions on a page of a campaign's applications (the COPIL screen), by application. */
  async ofApplications(user: AuthUser, campaignId: string, applicationIds: string[]) {
    const campaign = await this.dataSource.getRepository(CampaignEntity).findOneBy({ id: campaignId });
    this.access.check(
      user,
      'campaign:manage',
      campaign ? { sameContract: campaign.contractId === user.contractId } : undefined,
    );
    const inCampaign = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .find({ where: { id: In(applicationIds), campaignId }, select: { id: true } });
    return loadDecisionsOf(
      this.dataSource.manager,
      inCampaign.map((app) => app.id),
    );
  }

  async get(user: AuthUser, applicationId: string): Promise<DecisionsResultDto> {
    await this.access.require(user, 'application:read', { applicationId });
    const app = await this.dataSource
      .getRepository(GrantApplicationEntity)
      .findOneOrFail({ where: { id: applicationId }, select: { id: true, status: true, copilNote: true } });
    return {
      applicationId,
      status: app.status,
      copilNote: app.copilNote,
      decisions: await loadDecisions(this.dataSource.manager, applicationId),
    };
  }
}
