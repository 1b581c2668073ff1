import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApplicationError, conflict, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import type { Page } from '../../common/pagination.dto.js';
import { deadlineInstant, openingInstant } from '../../common/paris-time.js';
import { CampaignHooks } from './campaign-hooks.js';
import { assertTransition } from '../../common/state-machine.js';
import { AccessService } from '../access/access.service.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { ThemeEntity } from '../referential/theme.entity.js';
import { CampaignEntity } from './campaign.entity.js';
import { CampaignTransitionEntity } from './campaign-transition.entity.js';
import { EnvelopeEntity } from './envelope.entity.js';
import { allocate, type FinancerEnvelopes } from './envelope.js';
import { groupEnvelopes, grantedByPartnerAndTheme, undecidedReferences } from './envelopes.repository.js';
import { CAMPAIGN_TRANSITIONS, CampaignStatus } from './campaign-status.js';
import {
  assertCalendarInOrder,
  assertScoringGrid,
  DEFAULT_CAMPAIGN_RULES,
  DEFAULT_SCORING_GRID,
} from './campaign-rules.js';
import type {
  CampaignDto,
  CampaignQueryDto,
  CreateCampaignDto,
  EnvelopeDto,
  PutEnvelopesDto,
  PutDeliberationsDto,
} from './dto/campaign.dto.js';
import './campaigns.errors.js'; // registers the codes thrown here

export function toCampaignDto(campaign: CampaignEntity): CampaignDto {
  return {
    id: campaign.id,
    contractId: campaign.contractId,
    year: campaign.year,
    title: campaign.title,
    status: campaign.status,
    opensAt: campaign.opensAt.toISOString(),
    submissionDeadline: campaign.submissionDeadline.toISOString(),
    reviewDeadline: campaign.reviewDeadline.toISOString(),
    cotechDate: campaign.cotechDate,
    copilDate: campaign.copilDate,
    reportDeadline: campaign.reportDeadline.toISOString(),
    rules: { ...DEFAULT_CAMPAIGN_RULES, ...campaign.rules },
    scoringGrid: campaign.scoringGrid,
    deliberations: campaign.deliberations ?? {},
    createdAt: campaign.createdAt.toISOString(),
  };
}

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: CampaignHooks,
    private readonly access: AccessService,
  ) {}

  /** The policy's answer on a campaign row read (or locked) by the caller. */
  private assertMay(
    user: AuthUser,
    action: 'campaign:read' | 'campaign:manage',
    campaign: CampaignEntity | null,
  ): asserts campaign is CampaignEntity {
    this.access.check(
      user,
      action,
      campaign
        ? { sameContract: campaign.contractId === user.contractId, draft: campaign.status === 'DRAFT' }
        : undefined,
    );
  }

  async create(user: AuthUser, input: CreateCampaignDto): Promise<CampaignDto> {
    if (!user.contractId)
      throw unprocessable('NO_CONTRACT', 'Votre compte n’est rattaché à aucun contrat de ville.');
    const calendar = {
      opensAt: openingInstant(input.opensAt),
      submissionDeadline: deadlineInstant(input.submissionDeadline),
      reviewDeadline: deadlineInstant(input.reviewDeadline),
      cotechDate: input.cotechDate,
      copilDate: input.copilDate,
      reportDeadline: deadlineInstant(input.reportDeadline),
    };
    assertCalendarInOrder(calendar);
    const scoringGrid = input.scoringGrid ?? DEFAULT_SCORING_GRID;
    assertScoringGrid(scoringGrid);
    const rules = { ...DEFAULT_CAMPAIGN_RULES, ...input.rules };
    if (input.rules?.youthThemeCodes)
      await this.themeIds(this.dataSource.manager, user.contractId, input.rules.youthThemeCodes);

    return auditedTransaction(this.dataSource, user, async (em) => {
      const campaign = await em.save(
        em.create(CampaignEntity, {
          contractId: user.contractId!,
          year: input.year,
          title: input.title,
          status: 'DRAFT',
          ...calendar,
          rules,
          scoringGrid: scoringGrid.map(({ code, label, weight }) => ({ code, label, weight })),
          createdBy: user.id,
        }),
      );
      await em.insert(CampaignTransitionEntity, {
        campaignId: campaign.id,
        fromStatus: null,
        toStatus: 'DRAFT',
        actorId: user.id,
      });
      this.logger.log(`Campaign ${campaign.id} (${campaign.year}) created by ${user.id}`);
      return toCampaignDto(campaign);
    });
  }

  async list(user: AuthUser, query: CampaignQueryDto): Promise<Page<CampaignDto>> {
    const builder = this.dataSource.getRepository(CampaignEntity).createQueryBuilder('campaign');
    if (user.role === 'CITY_TEAM') {
      builder.where('campaign.contract_id = :contractId', { contractId: user.contractId });
    } else if (user.role === 'FINANCER') {
      builder.where("campaign.contract_id = :contractId AND campaign.status <> 'DRAFT'", {
        contractId: user.contractId,
      });
    } else {
      builder.where("campaign.status <> 'DRAFT'");
    }
    if (query.year) builder.andWhere('campaign.year = :year', { year: query.year });
    const [campaigns, total] = await builder
      .orderBy('campaign.year', 'DESC')
      .addOrderBy('campaign.created_at', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: campaigns.map(toCampaignDto), total };
  }

  /** Loads a campaign the user may see; 404 otherwise (another contract's draft does not exist for them). */
  async findVisible(
    user: AuthUser,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<CampaignEntity> {
    const campaign = await em.getRepository(CampaignEntity).findOne({ where: { id } });
    this.assertMay(user, 'campaign:read', campaign);
    return campaign;
  }

  async get(user: AuthUser, id: string): Promise<CampaignDto> {
    return toCampaignDto(await this.findVisible(user, id));
  }

  /** Moves the campaign one step along its lifecycle, under a row lock so two clicks cannot both pass. */
  async transition(user: AuthUser, id: string, to: CampaignStatus): Promise<CampaignDto> {
    let afterCommit: (() => Promise<unknown>)[] = [];
    const result = await auditedTransaction(this.dataSource, user, async (em) => {
      const campaign = await em
        .getRepository(CampaignEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      this.assertMay(user, 'campaign:manage', campaign);
      assertTransition(
        CAMPAIGN_TRANSITIONS,
        campaign.status,
        to,
        'Appel à projets',
        'CAMPAIGN_STATUS_CONFLICT',
      );
      if (to === 'PROGRAMMED') {
        const undecided = await undecidedReferences(em, id);
        if (undecided.length > 0) {
          throw conflict(
            'UNDECIDED_APPLICATIONS',
            `Le COPIL n’a pas encore statué sur ${undecided.length} dossier(s) éligible(s) : ${undecided.join(', ')}.`,
          );
        }
      }
      const from = campaign.status;
      campaign.status = to;
      await em.update(CampaignEntity, { id }, { status: to });
      await em.insert(CampaignTransitionEntity, {
        campaignId: id,
        fromStatus: from,
        toStatus: to,
        actorId: user.id,
      });
      if (to === 'PROGRAMMED') afterCommit = await this.hooks.closeProgramming(em, id);
      this.logger.log(`Campaign ${id}: ${from} → ${to} by ${user.id}`);
      return toCampaignDto(campaign);
    });
    // After commit: what the hooks queue (a convention generation per funded application; the sweep catches
    // what Redis misses).
    for (const step of afterCommit) await step();
    return result;
  }

  /** Records each financer's deliberation reference for the year (the conventions cite them). */
  async putDeliberations(user: AuthUser, id: string, input: PutDeliberationsDto): Promise<CampaignDto> {
    return auditedTransaction(this.dataSource, user, async (em) => {
      const campaign = await em
        .getRepository(CampaignEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      this.assertMay(user, 'campaign:manage', campaign);
      await this.partnerIds(
        em,
        campaign.contractId,
        input.deliberations.map((item) => item.partnerCode),
      );
      const deliberations = Object.fromEntries(
        input.deliberations.map((item) => [item.partnerCode, item.reference.trim()]),
      );
      await em.update(CampaignEntity, { id }, { deliberations });
      return toCampaignDto({ ...campaign, deliberations });
    });
  }

  async putEnvelopes(
    user: AuthUser,
    id: string,
    input: PutEnvelopesDto,
  ): Promise<{ items: EnvelopeDto[]; total: number }> {
    await auditedTransaction(this.dataSource, user, async (em) => {
      const campaign = await em
        .getRepository(CampaignEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      this.assertMay(user, 'campaign:manage', campaign);
      if (campaign.status === 'PROGRAMMED') {
        throw new ApplicationError(
          'CONFLICT',
          'CAMPAIGN_STATUS_CONFLICT',
          'La programmation est close : les enveloppes sont figées.',
        );
      }
      const keys = input.envelopes.map((envelope) => `${envelope.partnerCode}|${envelope.themeCode ?? '*'}`);
      const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
      if (duplicate) {
        throw unprocessable(
          'DUPLICATE_ENVELOPE',
          `Enveloppe en double : ${duplicate.replace('|*', ' (toutes thématiques)').replace('|', ' / ')}.`,
          'envelopes',
        );
      }
      const partners = await this.partnerIds(
        em,
        campaign.contractId,
        input.envelopes.map((envelope) => envelope.partnerCode),
      );
      const themes = await this.themeIds(
        em,
        campaign.contractId,
        input.envelopes.flatMap((envelope) => (envelope.themeCode ? [envelope.themeCode] : [])),
      );
      await this.assertEnvelopesCoverGrants(em, id, input.envelopes);
      await em.delete(EnvelopeEntity, { campaignId: id });
      if (input.envelopes.length > 0) {
        await em.insert(
          EnvelopeEntity,
          input.envelopes.map((envelope) => ({
            campaignId: id,
            partnerId: partners.get(envelope.partnerCode)!,
            themeId: envelope.themeCode ? themes.get(envelope.themeCode)! : null,
            amountCents: envelope.amountCents,
          })),
        );
      }
    });
    return this.envelopes(user, id);
  }

  async envelopes(user: AuthUser, id: string): Promise<{ items: EnvelopeDto[]; total: number }> {
    await this.findVisible(user, id);
    const rows = await this.dataSource
      .getRepository(EnvelopeEntity)
      .createQueryBuilder('envelope')
      .innerJoin('envelope.partner', 'partner')
      .leftJoin('envelope.theme', 'theme')
      .select([
        'partner.id AS "partnerId"',
        'partner.code AS "partnerCode"',
        'theme.code AS "themeCode"',
        'envelope.amount_cents::text AS "amountCents"',
      ])
      .where('envelope.campaign_id = :id', { id })
      .orderBy('partner.code')
      .addOrderBy('theme.position', 'ASC', 'NULLS FIRST')
      .getRawMany<{
        partnerId: string;
        partnerCode: string;
        themeCode: string | null;
        amountCents: string;
      }>();
    // The allocation works on the envelopes just read, not on a second read of them.
    const byPartner = groupEnvelopes(rows);
    const allocated = await this.allocatedByEnvelope(this.dataSource.manager, id, byPartner);
    const items = rows.map((row) => {
      const amountCents = Number(row.amountCents);
      const allocatedCents = allocated.get(`${row.partnerCode}|${row.themeCode ?? '*'}`) ?? 0;
      return {
        partnerCode: row.partnerCode,
        ...(row.themeCode ? { themeCode: row.themeCode } : {}),
        amountCents,
        allocatedCents,
        remainingCents: amountCents - allocatedCents,
      };
    });
    return { items, total: items.length };
  }

  /** New envelopes must still hold what the decisions already grant (409 ENVELOPE_BELOW_ALLOCATED). */
  private async assertEnvelopesCoverGrants(
    em: EntityManager,
    campaignId: string,
    envelopes: { partnerCode: string; themeCode?: string; amountCents: number }[],
  ): Promise<void> {
    const granted = await grantedByPartnerAndTheme(em, campaignId);
    if (granted.size === 0) return;
    const partners = await em.getRepository(PartnerEntity).find({ where: { id: In([...granted.keys()]) } });
    const short = partners
      .filter((partner) => {
        const own = envelopes.filter((envelope) => envelope.partnerCode === partner.code);
        const replacement = {
          byTheme: new Map(own.filter((e) => e.themeCode).map((e) => [e.themeCode!, e.amountCents])),
          allThemes: own.find((e) => !e.themeCode)?.amountCents ?? 0,
        };
        return !allocate(replacement, granted.get(partner.id)!).fits;
      })
      .map((partner) => partner.code);
    if (short.length > 0) {
      throw conflict(
        'ENVELOPE_BELOW_ALLOCATED',
        `Les nouvelles enveloppes ne couvrent plus les montants déjà accordés : ${short.join(', ')}.`,
      );
    }
  }

  /** What the decisions draw on each envelope ("partnerCode|themeCode" or "partnerCode|*"), themed envelopes first. */
  private async allocatedByEnvelope(
    em: EntityManager,
    campaignId: string,
    envelopes: Map<string, FinancerEnvelopes>,
  ): Promise<Map<string, number>> {
    const granted = await grantedByPartnerAndTheme(em, campaignId);
    const partners = granted.size
      ? await em
          .getRepository(PartnerEntity)
          .find({ select: { id: true, code: true }, where: { id: In([...granted.keys()]) } })
      : [];
    const codeOf = new Map(partners.map((partner) => [partner.id, partner.code]));
    const result = new Map<string, number>();
    for (const [partnerId, byTheme] of granted) {
      const allocation = allocate(envelopes.get(partnerId) ?? { byTheme: new Map(), allThemes: 0 }, byTheme);
      const code = codeOf.get(partnerId)!;
      for (const [theme, draw] of allocation.byTheme) result.set(`${code}|${theme}`, draw.fromThemeCents);
      result.set(`${code}|*`, allocation.allThemesUsedCents);
    }
    return result;
  }

  private async partnerIds(
    em: EntityManager,
    contractId: string,
    codes: string[],
  ): Promise<Map<string, string>> {
    const unique = [...new Set(codes)];
    const partners = unique.length
      ? await em.getRepository(PartnerEntity).find({ where: { contractId, code: In(unique) } })
      : [];
    const found = new Map(partners.map((partner) => [partner.code, partner.id]));
    const unknown = unique.filter((code) => !found.has(code));
    if (unknown.length > 0)
      throw unprocessable(
        'UNKNOWN_PARTNER',
        `Partenaire(s) inconnu(s) : ${unknown.join(', ')}.`,
        'partnerCode',
      );
    return found;
  }

  private async themeIds(
    em: EntityManager,
    contractId: string,
    codes: string[],
  ): Promise<Map<string, string>> {
    const unique = [...new Set(codes)];
    const themes = unique.length
      ? await em.getRepository(ThemeEntity).find({ where: { contractId, code: In(unique) } })
      : [];
    const found = new Map(themes.map((theme) => [theme.code, theme.id]));
    const unknown = unique.filter((code) => !found.has(code));
    if (unknown.length > 0)
      throw unprocessable('UNKNOWN_THEME', `Thématique(s) inconnue(s) : ${unknown.join(', ')}.`, 'themeCode');
    return found;
  }
}
