import { outsideFunding } from '../checks/checks.js';
import { needsRepublicanCommitment } from '../applications/sworn-statement.js';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { frenchDate } from '../../common/french.js';
import { formatEuros, sumCents } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { failedJobs, removeFailedJob } from '../../jobs/failures.js';
import { JOBS, QUEUES, type TypedQueue } from '../../jobs/queues.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';
import { addToOutbox } from '../notifications/outbox.repository.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { ConventionEntity } from './convention.entity.js';
import { ConventionsRepository } from './conventions.repository.js';
import { renderConventionPdf, type ConventionView } from './convention-pdf.js';
import { splitAdvance } from './payment-schedule.js';
import { AccessService } from '../access/access.service.js';
import './conventions.errors.js'; // registers the codes thrown here

/** The generation job of a convention: one per successful generation, so a regeneration is a new job. */
const conventionJobId = (id: string, generations: number) => `convention-${id}-${generations}`;

export interface ConventionStatusDto {
  status: string;
  /** The last party's signature date, once every party has signed. */
  signedOn: string | null;
  number: string;
  sha256: string | null;
  generatedAt: string | null;
}

@Injectable()
export class ConventionsService {
  private readonly logger = new Logger(ConventionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ConventionsRepository,
    @InjectQueue(QUEUES.CONVENTIONS) private readonly queue: TypedQueue<typeof QUEUES.CONVENTIONS>,
    private readonly notifications: NotificationsService,
    private readonly access: AccessService,
  ) {}

  /** Enqueues generations after their rows committed; Redis away: the sweep picks them up later. */
  async dispatch(conventionIds: string[], requestId?: string): Promise<string[]> {
    if (conventionIds.length === 0) return [];
    // One read for every row, then one bulk enqueue: closing a programming may create hundreds.
    return this.enqueue(await this.repository.generations(conventionIds), requestId);
  }

  /** One job per convention and generation: a job id already taken (queued, running or done) adds nothing. */
  private async enqueue(rows: { id: string; generations: number }[], requestId?: string): Promise<string[]> {
    const jobs = rows.map((row) => ({
      name: JOBS.GENERATE_CONVENTION,
      data: { conventionId: row.id, requestId },
      opts: { jobId: conventionJobId(row.id, row.generations) },
    }));
    await this.queue
      .addBulk(jobs)
      .catch((error: Error) =>
        this.logger.warn(`${jobs.length} convention(s) left for the sweep: ${error.message}`),
      );
    return jobs.map((job) => job.opts.jobId);
  }

  /**
   * Enqueues the conventions left PENDING (Redis was away, a job was lost), each under the generation read
   * with its status: one generated meanwhile had its job under that id, so adding it again does nothing
   * (reading the generation again here would start a needless second generation).
   */
  async sweep(olderThanMs = 5_000): Promise<number> {
    const rows = await this.repository.pendingSince(olderThanMs);
    // A convention whose job failed for good lost its FAILED mark: write it (the same job id would not be added again).
    const failed = await failedJobs(
      this.queue,
      rows.map((row) => conventionJobId(row.id, row.generations)),
    );
    for (const row of rows) {
      const reason = failed.get(conventionJobId(row.id, row.generations));
      if (reason) await this.markFailed(row.id, reason);
    }
    const pending = rows.filter((row) => !failed.has(conventionJobId(row.id, row.generations)));
    await this.enqueue(pending);
    return pending.length;
  }

  /** (Re)generation on demand by the city team, once the programming is closed. */
  async regenerate(user: AuthUser, applicationId: string): Promise<{ jobId: string }> {
    await this.access.require(user, 'application:instruct', { applicationId });
    const app = await this.repository.fundingState(applicationId);
    if (app.status !== 'PROGRAMMED' || app.campaignStatus !== 'PROGRAMMED') {
      throw conflict(
        'CONVENTION_NOT_AVAILABLE',
        'Les conventions sont établies pour les dossiers financés, une fois la programmation close.',
      );
    }
    const id = await auditedTransaction(this.dataSource, user, (em) =>
      this.repository.resetForApplication(em, applicationId, parisDate(app.closedAt ?? new Date())),
    );
    // A convention whose generation failed for good is generated again under the same job id.
    const [{ generations }] = await this.repository.generations([id]);
    await removeFailedJob(this.queue, conventionJobId(id, generations));
    const [jobId] = await this.dispatch([id]);
    return { jobId };
  }

  /** The job: render, store, then announce by email in the same transaction. Skips a vanished row. */
  async generate(conventionId: string): Promise<'READY' | 'SKIPPED'> {
    const convention = await this.dataSource
      .getRepository(ConventionEntity)
      .findOne({ where: { id: conventionId } });
    if (!convention) return 'SKIPPED';
    const { view, contractId, holderEmail } = await this.view(convention);
    const pdf = await renderConventionPdf(view);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const ids = await this.dataSource.transaction(async (em) => {
      await em.update(
        ConventionEntity,
        { id: conventionId },
        {
          status: 'READY',
          pdf,
          sha256,
          generatedAt: new Date(),
          generations: convention.generations + 1,
          lastError: null,
        },
      );
      // No confirmed address of the holder yet: the convention waits to be downloaded (no email).
      if (!holderEmail) return [];
      return addToOutbox(em, [
        {
          type: 'CONVENTION_READY',
          to: holderEmail,
          payload: {
            conventionNumber: convention.number,
            title: view.title,
            reference: view.reference,
            grantedTotal: view.grantedTotal,
          },
          dedupeKey: `convention-ready:${conventionId}:${sha256}`,
          contractId,
          applicationId: convention.applicationId,
        },
      ]);
    });
    await this.notifications.dispatch(ids);
    this.logger.log(`Convention ${convention.number} generated (${pdf.length} bytes)`);
    return 'READY';
  }

  /** After the last attempt; a convention generated meanwhile (by a job that then lost its lock) stays READY. */
  async markFailed(conventionId: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(ConventionEntity)
      .update(
        { id: conventionId, status: 'PENDING' },
        { status: 'FAILED', lastError: reason.slice(0, 2000) },
      );
  }

  /** Everything the convention says, formatted in French. */
  async view(
    convention: ConventionEntity,
  ): Promise<{ view: ConventionView; contractId: string; holderEmail: string | null }> {
    const { row, grants } = await this.repository.conventionFacts(convention.applicationId);
    const rules: CampaignRules = {
      ...DEFAULT_CAMPAIGN_RULES,
      ...(JSON.parse(row.rules) as Partial<CampaignRules>),
    };
    const identifiers = [row.siret ? `SIRET ${row.siret}` : null, row.rna ? `RNA ${row.rna}` : null]
      .filter(Boolean)
      .join(', ');
    const financers = grants.map((grant) => {
      const granted = Number(grant.granted);
      const { advanceCents, balanceCents } = splitAdvance(granted, rules.advancePercent);
      return {
        name: grant.name,
        signatory: grant.signatory ?? '',
        amount: formatEuros(granted),
        advance: formatEuros(advanceCents),
        balance: formatEuros(balanceCents),
      };
    });
    return {
      contractId: row.contractId,
      holderEmail: row.contactEmail,
      view: {
        contractName: row.contractName,
        year: row.year,
        number: convention.number,
        reference: row.reference,
        title: row.title,
        summary: row.summary ?? '',
        theme: row.theme,
        stake: row.stake ?? '—',
        qpvs: row.qpvs ?? '—',
        startDate: row.startDate ? frenchDate(row.startDate) : '—',
        endDate: row.endDate ? frenchDate(row.endDate) : '—',
        totalCost: formatEuros(Number(row.totalCost)),
        grantedTotal: formatEuros(sumCents(grants.map((grant) => Number(grant.granted)))),
        advancePercent: String(rules.advancePercent),
        reportDeadline: frenchDate(parisDate(new Date(row.reportDeadline))),
        place: row.signaturePlace,
        issuedOn: frenchDate(convention.issuedOn),
        issuedOnIso: convention.issuedOn,
        holder: {
          name: row.holder,
          legalForm: row.legalForm,
          identifiers: identifiers || 'sans identifiant',
          address: row.address,
          representative: row.signatoryName
            ? `représentée par ${row.signatoryName}${row.signatoryRole ? `, ${row.signatoryRole}` : ''}`
            : `représentée par ${row.legalRepresentative}`,
        },
        financers,
        outsideFunding: outsideFunding({ budget: row.budget }).map((line) => ({
          funder: line.funder,
          amount: formatEuros(line.amountCents),
        })),
        inKind: Number(row.inKind) > 0 ? formatEuros(Number(row.inKind)) : '',
        republicanCommitment: needsRepublicanCommitment(row.legalForm),
        copilDate: frenchDate(row.copilDate),
        deliberations: grants.map(
          (grant) =>
            `${grant.name} : ${row.deliberations?.[grant.code] ?? 'délibération à mentionner par le financeur'}`,
        ),
        indicators: (row.indicators ?? []).map(
          (indicator) =>
            `${indicator.label} : ${indicator.targetValue.toLocaleString('fr-FR')} ${indicator.unit}`,
        ),
        budget: {
          charges: (row.budget?.charges ?? []).map((line) => ({
            label: `${line.account} – ${line.label}`,
            amount: formatEuros(line.amountCents),
          })),
          products: (row.budget?.products ?? []).map((line) => ({
            label: `${line.account} – ${line.funder ?? line.label}`,
            amount: formatEuros(line.amountCents),
          })),
        },
      },
    };
  }

  /** Who may see a convention: the holder, the city team, the financers that grant. */
  private async readable(user: AuthUser, applicationId: string): Promise<ConventionEntity> {
    await this.access.require(user, 'application:read-funded', { applicationId });
    const convention = await this.dataSource
      .getRepository(ConventionEntity)
      .findOne({ where: { applicationId } });
    if (!convention) throw notFound('Convention');
    return convention;
  }

  async status(user: AuthUser, applicationId: string): Promise<ConventionStatusDto> {
    const convention = await this.readable(user, applicationId);
    return {
      // Signed by every party: the document is final (api-contract.md, « Conventions and payments »).
      status: convention.signedOn ? 'SIGNED' : convention.status,
      signedOn: convention.signedOn,
      number: convention.number,
      sha256: convention.sha256,
      generatedAt: convention.generatedAt?.toISOString() ?? null,
    };
  }

  async pdf(user: AuthUser, applicationId: string): Promise<{ number: string; pdf: Buffer }> {
    const convention = await this.readable(user, applicationId);
    if (convention.status !== 'READY' || !convention.pdf) {
      throw conflict('CONVENTION_NOT_READY', 'La convention est en cours de préparation.', {
        status: convention.status,
      });
    }
    return { number: convention.number, pdf: convention.pdf };
  }

  /** A page of a campaign's conventions for its city team, with their state. */
  async listOfCampaign(
    user: AuthUser,
    campaignId: string,
    filters: { status?: string; limit: number; offset: number },
  ) {
    const campaign = await this.dataSource.getRepository(CampaignEntity).findOneBy({ id: campaignId });
    this.access.check(
      user,
      'campaign:manage',
      campaign ? { sameContract: campaign.contractId === user.contractId } : undefined,
    );
    return this.repository.listOfCampaign(campaignId, filters);
  }
}
