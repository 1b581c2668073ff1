import { STATUS_LABELS, type ApplicationStatus } from '../applications/application-status.js';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Readable, Transform } from 'node:stream';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { csvLine } from '../../common/csv-write.js';
import { centsFromSql, frenchDecimal, sharePercent, sumCents } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { allocate } from '../campaigns/envelope.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { DEFAULT_CAMPAIGN_RULES } from '../campaigns/campaign-rules.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { envelopesByPartner } from '../campaigns/envelopes.repository.js';
import { SCDL_FIELDS, toScdlRow } from './scdl.js';
import type { ProgrammingDto, ThemeFinancerRowDto } from './dto/programming.dto.js';
import {
  ProgrammingRepository,
  type AboveThresholdRow,
  type CsvRow,
  type ProgrammingScope,
} from './programming.repository.js';
import { AccessService } from '../access/access.service.js';
import { reviewVisible } from '../access/access-policy.js';
import './programming.errors.js'; // registers the codes thrown here

export const PROGRAMMING_CSV_HEADER = [
  'Référence',
  'Porteur',
  'SIRET',
  'Intitulé',
  'Thématique',
  'Enjeu',
  'QPV',
  'Coût total (€)',
  'Financeur',
  'Demandé (€)',
  'Proposé (€)',
  'Accordé (€)',
  'Avis',
  'Note /5',
  'Statut',
  'Convention obligatoire (plus de 23 000 € dans l’année)',
];

const OPINION_LABELS: Record<string, string> = {
  FAVORABLE: 'Favorable',
  RESERVED: 'Favorable avec réserves',
  UNFAVORABLE: 'Défavorable',
  DEFERRED: 'Ajourné',
};

@Injectable()
export class ProgrammingService {
  private readonly logger = new Logger(ProgrammingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly repository: ProgrammingRepository,
    private readonly access: AccessService,
  ) {}

  /**
   * What the programming shows this reader, by the access policy: until the programming is closed, the
   * applications it may read (a financer: those that ask it); once closed, the contract's shared document,
   * every line (`application:read-decisions`); reviews only of the applications it may read. A declared
   * conflict of interest takes the application out for that reviewer.
   */
  private scope(user: AuthUser, campaign: Pick<CampaignEntity, 'status' | 'rules'>): ProgrammingScope {
    const programmed = campaign.status === 'PROGRAMMED';
    const rows = programmed ? 'application:read-decisions' : 'application:read';
    const { privateReviews } = { ...DEFAULT_CAMPAIGN_RULES, ...campaign.rules };
    // Whose reviews: every partner's, or the reader's own while the campaign keeps them private.
    const ownOnly = !reviewVisible(
      user.role,
      { ownPartner: false, final: true },
      { privateReviews, programmed },
    );
    return {
      rows: (parameters) => this.access.listFilter(user, rows, 'a', parameters),
      reviews: (parameters) => this.access.listFilter(user, 'application:read', 'a', parameters),
      ownReviewsOf: ownOnly ? user.partnerId : null,
    };
  }

  async table(user: AuthUser, campaignId: string): Promise<ProgrammingDto> {
    const campaign = await this.campaigns.findVisible(user, campaignId);
    const scope = this.scope(user, campaign);
    const [{ cells, qpvRows, funded, coFinancing, reports }, envelopes, above] = await Promise.all([
      this.repository.tableSections(campaignId, scope),
      envelopesByPartner(this.dataSource.manager, campaignId),
      this.repository.aboveThreshold(campaignId, scope),
    ]);
    const partnerCodes = new Map<string, string>(cells.map((cell) => [cell.partnerId, cell.partnerCode]));
    const missing = [...envelopes.keys()].filter((partnerId) => !partnerCodes.has(partnerId));
    if (missing.length > 0) {
      const partners = await this.dataSource
        .getRepository(PartnerEntity)
        .find({ where: { id: In(missing) }, select: { id: true, code: true } });
      for (const partner of partners) partnerCodes.set(partner.id, partner.code);
    }
    const byThemeAndFinancer: ThemeFinancerRowDto[] = [];
    for (const [partnerId, partnerCode] of [...partnerCodes.entries()].sort((a, b) =>
      a[1].localeCompare(b[1]),
    )) {
      const own = cells.filter((cell) => cell.partnerId === partnerId);
      const envelope = envelopes.get(partnerId) ?? { byTheme: new Map<string, number>(), allThemes: 0 };
      const allocation = allocate(
        envelope,
        new Map(own.map((cell) => [cell.themeCode, centsFromSql(cell.granted)])),
      );
      for (const cell of own) {
        const draw = allocation.byTheme.get(cell.themeCode)!;
        const themed = envelope.byTheme.get(cell.themeCode) ?? 0;
        byThemeAndFinancer.push({
          themeCode: cell.themeCode,
          partnerCode,
          envelopeCents: themed,
          requestedCents: centsFromSql(cell.requested),
          proposedCents: centsFromSql(cell.proposed),
          grantedCents: draw.grantedCents,
          drawnFromThemeCents: draw.fromThemeCents,
          drawnFromAllThemesCents: draw.fromAllThemesCents,
          remainingCents: themed - draw.fromThemeCents,
        });
      }
      if (envelope.allThemes > 0 || allocation.allThemesUsedCents > 0) {
        byThemeAndFinancer.push({
          themeCode: null,
          partnerCode,
          envelopeCents: envelope.allThemes,
          requestedCents: 0,
          proposedCents: 0,
          grantedCents: allocation.allThemesUsedCents,
          drawnFromThemeCents: 0,
          drawnFromAllThemesCents: allocation.allThemesUsedCents,
          remainingCents: envelope.allThemes - allocation.allThemesUsedCents,
        });
      }
    }

    const fundedTotal = sumCents(funded.map((row) => centsFromSql(row.granted)));
    const fundedActions = funded.reduce((sum, row) => sum + row.actions, 0);
    const youthActions = funded.reduce((sum, row) => sum + row.youth, 0);

    const themedRows = byThemeAndFinancer.filter((row) => row.themeCode !== null);
    return {
      campaignId,
      status: campaign.status,
      byThemeAndFinancer,
      byQpv: qpvRows.map((row) => ({
        qpvCode: row.code,
        name: row.name,
        applications: row.applications,
        fundedActions: row.funded,
        requestedCents: centsFromSql(row.requested),
        grantedCents: centsFromSql(row.granted),
      })),
      priorities: {
        genderMarkers: funded.map((row) => ({
          marker: row.marker,
          actions: row.actions,
          grantedCents: centsFromSql(row.granted),
          sharePercent: sharePercent(centsFromSql(row.granted), fundedTotal),
        })),
        fundedActions,
        actionsWithYouthTarget: youthActions,
        youthTargetSharePercent: sharePercent(youthActions, fundedActions),
        actionsWithoutGenderBreakdown: funded.reduce((sum, row) => sum + row.noBreakdown, 0),
      },
      coFinancing: coFinancing.map((row) => ({
        partnerCode: row.code,
        grantedCents: centsFromSql(row.granted),
        coFinancedCents: centsFromSql(row.cofinanced ?? '0'),
        coFinancingRatePercent: sharePercent(centsFromSql(row.cofinanced ?? '0'), centsFromSql(row.granted)),
      })),
      reports: {
        fundedActions: reports.funded,
        submitted: reports.submitted,
        inProgress: reports.draft,
        missing: reports.funded - reports.submitted - reports.draft,
      },
      aboveConventionThreshold: aboveFor(user, above),
      totals: {
        requestedCents: sumCents(themedRows.map((row) => row.requestedCents)),
        proposedCents: sumCents(themedRows.map((row) => row.proposedCents)),
        grantedCents: sumCents(themedRows.map((row) => row.grantedCents)),
        envelopeCents: sumCents(byThemeAndFinancer.map((row) => row.envelopeCents)),
      },
    };
  }

  /** The campaign's beneficiary × financer pairs above the convention threshold in the year (the COPIL's flags). */
  async aboveConventionThreshold(user: AuthUser, campaignId: string, organizationIds?: string[]) {
    const campaign = await this.campaigns.findVisible(user, campaignId);
    return aboveFor(
      user,
      organizationIds
        ? await this.repository.aboveThresholdOf(campaignId, organizationIds)
        : await this.repository.aboveThreshold(campaignId, this.scope(user, campaign)),
    );
  }

  /**
   * One row per application × financer, streamed from a server-side cursor: memory stays flat
   * whatever the campaign's size. The caller pipes the stream and ends it.
   */
  async programmingCsv(user: AuthUser, campaignId: string): Promise<Readable> {
    const campaign = await this.campaigns.findVisible(user, campaignId);
    const { rows, release } = await this.repository.streamCsvRows(campaignId, this.scope(user, campaign));
    try {
      let first = true;
      const toLines = new Transform({
        writableObjectMode: true,
        transform(row: CsvRow, _encoding, callback) {
          const prefix = first ? '\uFEFF' + csvLine(PROGRAMMING_CSV_HEADER, ';') : '';
          first = false;
          const money = (value: string | null) => (value === null ? '' : frenchDecimal(centsFromSql(value)));
          callback(
            null,
            prefix +
              csvLine(
                [
                  row.reference,
                  row.holder,
                  row.siret,
                  row.title,
                  row.theme,
                  row.stake,
                  row.qpvs,
                  money(row.totalCost),
                  row.partner,
                  money(row.requested),
                  money(row.proposed),
                  money(row.granted),
                  row.opinion ? OPINION_LABELS[row.opinion] : '',
                  row.score ? row.score.replace('.', ',') : '',
                  STATUS_LABELS[row.status as ApplicationStatus] ?? row.status,
                  row.aboveThreshold ? 'oui' : 'non',
                ],
                ';',
              ),
          );
        },
        flush(callback) {
          callback(null, first ? '\uFEFF' + csvLine(PROGRAMMING_CSV_HEADER, ';') : '');
        },
      });
      rows.on('error', (error) => toLines.destroy(error));
      // A client that goes away mid-download closes the cursor and frees the connection.
      toLines.on('close', () => {
        if (!rows.destroyed) rows.destroy();
        release();
      });
      return rows.pipe(toLines);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The grants of one attributor, in SCDL "Subventions" 2.1.1, once the programming is closed. */
  async openData(campaignId: string, partnerCode: string): Promise<string> {
    const campaign = await this.dataSource
      .getRepository(CampaignEntity)
      .findOne({ where: { id: campaignId } });
    if (!campaign) throw notFound('Appel à projets');
    if (campaign.status !== 'PROGRAMMED') {
      throw conflict(
        'CAMPAIGN_NOT_PROGRAMMED',
        'Les subventions sont publiées une fois la programmation close.',
        { campaignStatus: campaign.status },
      );
    }
    const partner = await this.dataSource
      .getRepository(PartnerEntity)
      .findOne({ where: { contractId: campaign.contractId, code: partnerCode } });
    if (!partner) throw notFound('Partenaire');
    if (!partner.siret) {
      throw unprocessable(
        'PARTNER_SIRET_MISSING',
        `Le SIRET de ${partner.name} n’est pas renseigné : l’équipe du contrat de ville doit le saisir.`,
        'partnerCode',
      );
    }
    const closedOn = parisDate((await this.repository.programmingClosedAt(campaignId)) ?? new Date());
    const grants = await this.repository.openDataGrants(campaignId, partner.id);
    const rules = { ...DEFAULT_CAMPAIGN_RULES, ...campaign.rules };
    const lines = [csvLine([...SCDL_FIELDS], ',')];
    for (const grant of grants) {
      const row = toScdlRow({
        reference: grant.reference,
        partnerCode: partner.code,
        partnerName: partner.name,
        partnerSiret: partner.siret,
        holderName: grant.holder,
        holderSiret: grant.siret,
        holderRna: grant.rna,
        year: campaign.year,
        copilDate: campaign.copilDate,
        // The last party's signature (api-contract.md); the programming's closing until then.
        conventionDate: grant.signedOn ?? closedOn,
        startDate: grant.startDate,
        endDate: grant.endDate,
        title: grant.title,
        requestedCents: centsFromSql(grant.requested),
        grantedCents: centsFromSql(grant.granted),
        advancePercent: rules.advancePercent,
        submittedOn: grant.submittedAt ? parisDate(grant.submittedAt) : '',
        outsideFunders: grant.outsideFunders,
        paymentPeriod: { from: closedOn, to: parisDate(campaign.reportDeadline) },
        coFinancers: grant.cofinancers ?? [],
        updatedOn: closedOn,
      });
      lines.push(
        csvLine(
          SCDL_FIELDS.map((field) => row[field]),
          ',',
        ),
      );
    }
    this.logger.log(`Open data of ${partner.code} for campaign ${campaignId}: ${grants.length} grants`);
    return lines.join('');
  }
}

/** The pairs above the threshold a reader sees: a financer, its own partner's only. */
function aboveFor(user: AuthUser, rows: AboveThresholdRow[]) {
  return rows
    .filter((row) => user.role !== 'FINANCER' || row.partnerCode === user.partnerCode)
    .map((row) => ({
      organizationId: row.organizationId,
      holderName: row.holderName,
      partnerCode: row.partnerCode,
      yearlyGrantedCents: centsFromSql(row.yearlyGranted),
    }));
}
