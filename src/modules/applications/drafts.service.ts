import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { parseIfMatch } from '../../common/if-match.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { sumCents } from '../../common/money.js';
import { AccessService } from '../access/access.service.js';
import { rowRelations } from '../access/access-policy.js';
import { LASTING_KINDS } from './attachment-kinds.js';
import { GrantApplicationEntity } from './application.entity.js';
import { EDITABLE_STATUSES, formatReference } from './application-status.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { inKindCharges, requestsByPartner, totalCharges, totalCost } from '../checks/checks.js';
import {
  judgeReferences,
  type CampaignFacts,
  type DraftFields,
  type ResolvedReferences,
} from './references.js';
import { shiftYears } from './renewal.js';
import type { ApplicationDto, CreateApplicationDto, UpdateApplicationDto } from './dto/application.dto.js';
import './applications.errors.js'; // registers the codes thrown here

/**
 * Unique placeholder written with the row. The database numbers the application when the transaction commits
 * (deferred trigger `grant_applications_reference`, migration NumberApplicationsAtCommit): YEAR-THEME-NNNN,
 * consecutive per contract and year, with the counter row locked only during the commit.
 */
const provisionalReference = (id: string) => ({
  reference: `~${id.replaceAll('-', '').slice(0, 29)}`,
  referenceNumber: 0,
});

const campaignNotOpen = (campaignStatus?: string) =>
  conflict(
    'CAMPAIGN_NOT_OPEN',
    'Cet appel à projets n’est pas ouvert aux dépôts.',
    campaignStatus ? { campaignStatus } : {},
  );

function assertCampaignAccepts(campaign: CampaignFacts): void {
  if (campaign.status !== 'OPEN' || Date.now() > campaign.submissionDeadline.getTime())
    throw campaignNotOpen(campaign.status);
}

/** Copies the given fields on the entity, with the totals derived from the budget. */
function apply(app: GrantApplicationEntity, fields: DraftFields, resolved: ResolvedReferences): void {
  const { themeCode: _themeCode, qpvCodes: _qpvCodes, renewalOf, ...plain } = fields;
  Object.assign(app, plain);
  if (renewalOf !== undefined) app.renewalOfId = renewalOf;
  app.themeId = resolved.themeId;
  if (fields.budget) {
    const { budget } = fields;
    app.totalChargesCents = totalCharges({ budget });
    app.totalCostCents = totalCost({ budget });
    app.inKindCents = inKindCharges({ budget });
    app.totalProductsCents = sumCents(fields.budget.products.map((line) => line.amountCents));
    // What the contract's financers are asked (outside funders are counted in the budget, not here).
    app.requestedCents = sumCents([...requestsByPartner({ budget }).values()]);
  }
  if (fields.priorities) app.genderMarker = fields.priorities.genderEquality.marker;
}

/** Writing drafts: creation, edits, renewal of an earlier application. */
@Injectable()
export class DraftsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ApplicationsRepository,
    private readonly reads: ApplicationsService,
    private readonly access: AccessService,
  ) {}

  private async assertOwnRenewalSource(
    user: AuthUser,
    renewalOf: string | null | undefined,
    em?: EntityManager,
  ) {
    if (!renewalOf) return;
    const source = await this.repository.findById(renewalOf, em);
    if (!source || source.organizationId !== user.organizationId) throw notFound('Dossier renouvelé');
  }

  /**
   * A new draft in three statements: the campaign and the draft's references read in one query, then the
   * application, its QPV and request rows and the first step of its history written by one statement (it
   * commits alone, numbered by the database at commit), written only if the campaign still takes drafts.
   */
  async create(user: AuthUser, campaignId: string, input: CreateApplicationDto): Promise<ApplicationDto> {
    if (!user.organizationId) throw notFound('Structure');
    const em = this.dataSource.manager;
    // The campaign is judged before the references: 404 or 409 before any 422.
    const found = await this.repository.findReferences(em, { campaignId }, input);
    this.access.check(
      user,
      'campaign:read',
      found && { sameContract: found.contractId === user.contractId, draft: found.status === 'DRAFT' },
    );
    assertCampaignAccepts(found as CampaignFacts);
    const resolved = judgeReferences(found, input);
    await this.assertOwnRenewalSource(user, input.renewalOf);
    const id = randomUUID();
    const app = em.create(GrantApplicationEntity, {
      id,
      campaignId,
      contractId: resolved.contractId,
      organizationId: user.organizationId,
      ...provisionalReference(id),
      status: 'DRAFT',
      version: 1,
      createdBy: user.id,
      renewalOfId: null,
    });
    apply(app, input, resolved);
    // The call closed between the read and the write.
    if (!(await this.repository.insertDraft(app, input, resolved, user.id))) throw campaignNotOpen();
    return this.reads.get(user, id);
  }

  /** Edits a draft; given the version read (body or If-Match), a stale edit is refused instead of lost. */
  async update(
    user: AuthUser,
    id: string,
    body: UpdateApplicationDto,
    ifMatch?: string,
  ): Promise<ApplicationDto> {
    const { version, ...input } = body;
    const expected = version ?? parseIfMatch(ifMatch);
    await auditedTransaction(this.dataSource, user, async (em) => {
      // The row locked for the edit gives the relations the policy needs: no second read.
      const locked = await this.repository.lock(em, id);
      this.access.check(user, 'application:edit', locked ? rowRelations(user, locked) : undefined);
      const app = locked!;
      if (!EDITABLE_STATUSES.includes(app.status)) {
        throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : il ne peut plus être modifié.', {
          currentStatus: app.status,
        });
      }
      if (expected !== undefined && expected !== app.version) {
        throw conflict(
          'APPLICATION_VERSION_CONFLICT',
          `Le dossier a été modifié entre-temps (version ${app.version}) : rechargez-le avant d’enregistrer.`,
          { currentVersion: app.version },
        );
      }
      await this.assertOwnRenewalSource(user, input.renewalOf, em);
      const found = await this.repository.findReferences(em, { contractId: app.contractId }, input, app);
      const resolved = judgeReferences(found, input, app);
      apply(app, input, resolved);
      if (input.themeCode) {
        const year = Number(app.reference.slice(0, 4));
        app.reference = formatReference(year, resolved.themeCode, app.referenceNumber);
      }
      app.version += 1;
      await this.repository.saveDraft(em, app, input, resolved);
    });
    return this.reads.get(user, id);
  }

  /**
   * A new draft in an open campaign from one of the organisation's earlier applications: action, public,
   * priorities and budget lines copied, dates moved by the years between the campaigns (to be reviewed),
   * and the documents that stay valid (statutes, bank details) carried over. Written by the creation's
   * statement, guarded the same way by the campaign still open.
   */
  async renew(user: AuthUser, id: string, campaignId: string): Promise<ApplicationDto> {
    await this.access.require(user, 'application:edit', { applicationId: id });
    const source = (await this.repository.findById(id))!;
    const facts = await this.repository.renewalFacts(id, campaignId);
    const target = facts.target;
    this.access.check(
      user,
      'campaign:read',
      target
        ? { sameContract: target.contractId === user.contractId, draft: target.status === 'DRAFT' }
        : undefined,
    );
    assertCampaignAccepts(target!);
    if (target!.contractId !== source.contractId) {
      throw unprocessable(
        'CONTRACT_MISMATCH',
        'Un dossier se renouvelle dans un appel à projets du même contrat de ville.',
        'campaignId',
      );
    }
    if (facts.renewed)
      throw conflict('ALREADY_RENEWED', 'Ce dossier est déjà renouvelé dans cet appel à projets.');

    const years = target!.year - facts.sourceYear;
    const copyId = randomUUID();
    const copy = this.dataSource.manager.create(GrantApplicationEntity, {
      campaignId,
      contractId: source.contractId,
      organizationId: source.organizationId,
      id: copyId,
      ...provisionalReference(copyId),
      status: 'DRAFT',
      version: 1,
      title: source.title,
      summary: source.summary,
      objectives: source.objectives,
      description: source.description,
      themeId: source.themeId,
      stakeId: source.stakeId,
      measureId: source.measureId,
      location: source.location,
      startDate: shiftYears(source.startDate, years),
      endDate: shiftYears(source.endDate, years),
      renewalOfId: source.id,
      beneficiaries: source.beneficiaries,
      priorities: source.priorities,
      indicators: source.indicators,
      budget: source.budget,
      totalChargesCents: source.totalChargesCents,
      totalCostCents: source.totalCostCents,
      inKindCents: source.inKindCents,
      totalProductsCents: source.totalProductsCents,
      requestedCents: source.requestedCents,
      genderMarker: source.genderMarker,
      createdBy: user.id,
    });
    const resolved: ResolvedReferences = {
      contractId: source.contractId,
      themeId: source.themeId,
      themeCode: '',
      qpvCodes: facts.qpvCodes,
      partnerIds: new Map(Object.entries(facts.partnerIds)),
    };
    const written = await this.repository.insertDraft(
      copy,
      { budget: source.budget ?? undefined },
      resolved,
      user.id,
      {
        message: `Renouvellement du dossier ${source.reference}`,
        copyAttachmentsOf: { applicationId: id, kinds: LASTING_KINDS },
      },
    );
    if (!written) throw campaignNotOpen();
    return this.reads.get(user, copyId);
  }
}
