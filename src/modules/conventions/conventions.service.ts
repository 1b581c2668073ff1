import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { frenchDate } from '../../common/french.js';
import { formatEuros, sumCents } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { JOBS, QUEUES, type GenerateConventionJob } from '../../jobs/queues.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';
import { addToOutbox } from '../notifications/outbox.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ConventionEntity } from './convention.entity.js';
import { renderConventionPdf, type ConventionView } from './convention-pdf.js';
import { splitAdvance } from './payment-schedule.js';
import { fundedApplicationAccess } from '../programming/granted.js';

export interface ConventionStatusDto {
  status: string;
  number: string;
  sha256: string | null;
  generatedAt: string | null;
}

/** Inside the closing transaction: one PENDING convention per funded application of the campaign. */
export async function createConventions(
  em: EntityManager,
  campaignId: string,
  issuedOn: string,
): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `INSERT INTO conventions (application_id, number, issued_on)
     SELECT id, 'CONV-' || reference, $2::date FROM grant_applications WHERE campaign_id = $1 AND status = 'PROGRAMMED'
     ON CONFLICT (application_id) DO NOTHING
     RETURNING id`,
    [campaignId, issuedOn],
  );
  return rows.map((row) => row.id);
}

@Injectable()
export class ConventionsService {
  private readonly logger = new Logger(ConventionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.CONVENTIONS) private readonly queue: Queue<GenerateConventionJob>,
    private readonly notifications: NotificationsService,
  ) {}

  /** Enqueues generations after their rows committed; Redis away: the sweep picks them up later. */
  async dispatch(conventionIds: string[], requestId?: string): Promise<string[]> {
    if (conventionIds.length === 0) return [];
    // One read for every row, then one bulk enqueue: closing a programming may create hundreds.
    const rows: { id: string; generations: number }[] = await this.dataSource.query(
      'SELECT id, generations FROM conventions WHERE id = ANY($1)',
      [conventionIds],
    );
    const generations = new Map(rows.map((row) => [row.id, row.generations]));
    const jobs = conventionIds
      .filter((id) => generations.has(id))
      .map((id) => ({
        name: JOBS.GENERATE_CONVENTION,
        data: { conventionId: id, requestId },
        opts: { jobId: `convention-${id}-${generations.get(id)}` },
      }));
    await this.queue
      .addBulk(jobs)
      .catch((error: Error) =>
        this.logger.warn(`${jobs.length} convention(s) left for the sweep: ${error.message}`),
      );
    return jobs.map((job) => job.opts.jobId);
  }

  async sweep(olderThanMs = 5_000): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM conventions WHERE status = 'PENDING' AND updated_at < now() - ($1 || ' milliseconds')::interval LIMIT 5000`,
      [String(olderThanMs)],
    );
    await this.dispatch(rows.map((row) => row.id));
    return rows.length;
  }

  /** (Re)generation on demand by the city team, once the programming is closed. */
  async regenerate(user: AuthUser, applicationId: string): Promise<{ jobId: string }> {
    const [app]: { status: string; contract_id: string; campaign_status: string; closed_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT a.status, a.contract_id, c.status AS campaign_status,
              (SELECT max(created_at) FROM campaign_transitions t WHERE t.campaign_id = c.id AND t.to_status = 'PROGRAMMED') AS closed_at
         FROM grant_applications a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`,
        [applicationId],
      );
    if (!app || app.contract_id !== user.contractId) throw notFound('Dossier');
    if (app.status !== 'PROGRAMMED' || app.campaign_status !== 'PROGRAMMED') {
      throw conflict(
        'CONVENTION_NOT_AVAILABLE',
        'Les conventions sont établies pour les dossiers financés, une fois la programmation close.',
      );
    }
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO conventions (application_id, number, issued_on)
       SELECT id, 'CONV-' || reference, $2::date FROM grant_applications WHERE id = $1
       ON CONFLICT (application_id) DO UPDATE SET status = 'PENDING', last_error = NULL, updated_at = now()
       RETURNING id`,
      [applicationId, parisDate(app.closed_at ?? new Date())],
    );
    const [jobId] = await this.dispatch([row.id]);
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

  async markFailed(conventionId: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(ConventionEntity)
      .update({ id: conventionId }, { status: 'FAILED', lastError: reason.slice(0, 2000) });
  }

  /** Everything the convention says, formatted in French. */
  async view(
    convention: ConventionEntity,
  ): Promise<{ view: ConventionView; contractId: string; holderEmail: string }> {
    const [row]: Record<string, string | null>[] = await this.dataSource.query(
      `SELECT a.reference, a.title, a.summary, a.start_date::text, a.end_date::text, a.total_charges_cents::text AS total_cost,
              a.contract_id, o.name AS holder, o.legal_form, o.siret, o.rna, o.address, o.legal_representative, o.contact_email,
              c.year::text, c.rules::text AS rules, c.report_deadline::text AS report_deadline, k.name AS contract_name,
              t.label AS theme, s.label AS stake,
              (SELECT string_agg(q.name || ' (' || q.code || ')', ', ' ORDER BY q.code) FROM application_qpvs aq JOIN qpvs q ON q.code = aq.qpv_code
                WHERE aq.application_id = a.id) AS qpvs
         FROM grant_applications a
         JOIN organizations o ON o.id = a.organization_id
         JOIN campaigns c ON c.id = a.campaign_id
         JOIN contracts k ON k.id = a.contract_id
         JOIN themes t ON t.id = a.theme_id
         LEFT JOIN stakes s ON s.id = a.stake_id
        WHERE a.id = $1`,
      [convention.applicationId],
    );
    const grants: { name: string; granted: string }[] = await this.dataSource.query(
      `SELECT p.name, d.granted_cents::text AS granted FROM decisions d JOIN partners p ON p.id = d.partner_id
        WHERE d.application_id = $1 AND d.granted_cents > 0 ORDER BY p.code`,
      [convention.applicationId],
    );
    const rules: CampaignRules = {
      ...DEFAULT_CAMPAIGN_RULES,
      ...(JSON.parse(row.rules!) as Partial<CampaignRules>),
    };
    const identifiers = [row.siret ? `SIRET ${row.siret}` : null, row.rna ? `RNA ${row.rna}` : null]
      .filter(Boolean)
      .join(', ');
    const financers = grants.map((grant) => {
      const granted = Number(grant.granted);
      const { advanceCents, balanceCents } = splitAdvance(granted, rules.advancePercent);
      return {
        name: grant.name,
        amount: formatEuros(granted),
        advance: formatEuros(advanceCents),
        balance: formatEuros(balanceCents),
      };
    });
    return {
      contractId: row.contract_id!,
      holderEmail: row.contact_email!,
      view: {
        contractName: row.contract_name!,
        year: row.year!,
        number: convention.number,
        reference: row.reference!,
        title: row.title!,
        summary: row.summary ?? '',
        theme: row.theme!,
        stake: row.stake ?? '—',
        qpvs: row.qpvs ?? '—',
        startDate: row.start_date ? frenchDate(row.start_date) : '—',
        endDate: row.end_date ? frenchDate(row.end_date) : '—',
        totalCost: formatEuros(Number(row.total_cost)),
        grantedTotal: formatEuros(sumCents(grants.map((grant) => Number(grant.granted)))),
        advancePercent: String(rules.advancePercent),
        reportDeadline: frenchDate(parisDate(new Date(row.report_deadline!))),
        place: 'Montélimar',
        issuedOn: frenchDate(convention.issuedOn),
        issuedOnIso: convention.issuedOn,
        holder: {
          name: row.holder!,
          legalForm: row.legal_form!,
          identifiers: identifiers || 'sans identifiant',
          address: row.address!,
          representative: row.legal_representative!,
        },
        financers,
      },
    };
  }

  /** Who may see a convention: the holder, the city team, the financers that grant. */
  private async readable(user: AuthUser, applicationId: string): Promise<ConventionEntity> {
    const allowed = await fundedApplicationAccess(this.dataSource.manager, user, applicationId);
    const convention = allowed
      ? await this.dataSource.getRepository(ConventionEntity).findOne({ where: { applicationId } })
      : null;
    if (!convention) throw notFound('Convention');
    return convention;
  }

  async status(user: AuthUser, applicationId: string): Promise<ConventionStatusDto> {
    const convention = await this.readable(user, applicationId);
    return {
      status: convention.status,
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
}
