import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { csvLine } from '../../common/csv-write.js';
import { frenchDecimal } from '../../common/money.js';
import { AccessService } from '../access/access.service.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import type { EvaluationDto, EvaluationMeasureDto } from './dto/evaluation.dto.js';
import { evaluationRows, qpvNames } from './payments.repository.js';

/** The data of the contract's evaluation: what the funded actions promised, cost and achieved. */
@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  /**
   * The year's evaluation (api-contract.md, « Evaluation »): per theme and measure, the actions funded, the
   * money granted and paid, the beneficiaries reached and each indicator's target beside what the accepted
   * report achieved; the beneficiaries reached per QPV.
   */
  async evaluation(user: AuthUser, campaignId: string): Promise<EvaluationDto> {
    const campaign = await this.dataSource.getRepository(CampaignEntity).findOneBy({ id: campaignId });
    this.access.check(
      user,
      'campaign:read',
      campaign
        ? { sameContract: campaign.contractId === user.contractId, draft: campaign.status === 'DRAFT' }
        : undefined,
    );
    const [rows, names] = await Promise.all([
      evaluationRows(this.dataSource.manager, campaignId),
      qpvNames(this.dataSource.manager, campaignId),
    ]);
    const measures = new Map<string, EvaluationMeasureDto>();
    const byQpv = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.themeCode}/${row.measureId ?? ''}`;
      const measure =
        measures.get(key) ??
        measures
          .set(key, {
            themeCode: row.themeCode,
            themeLabel: row.themeLabel,
            measureId: row.measureId,
            measureLabel: row.measureLabel,
            fundedActions: 0,
            acceptedReports: 0,
            grantedCents: 0,
            paidCents: 0,
            beneficiaries: 0,
            indicators: [],
          })
          .get(key)!;
      const accepted = row.reportStatus === 'ACCEPTED';
      measure.fundedActions += 1;
      measure.grantedCents += Number(row.granted);
      measure.paidCents += Number(row.paid);
      if (accepted) {
        measure.acceptedReports += 1;
        measure.beneficiaries += row.reportBeneficiaries?.total ?? 0;
        for (const [code, count] of Object.entries(row.reportBeneficiaries?.byQpv ?? {}))
          byQpv.set(code, (byQpv.get(code) ?? 0) + count);
      }
      for (const indicator of row.indicators ?? []) {
        const achieved = accepted
          ? row.reportIndicators?.find((candidate) => candidate.label === indicator.label)?.achievedValue
          : undefined;
        measure.indicators.push({
          reference: row.reference,
          label: indicator.label,
          unit: indicator.unit,
          targetValue: indicator.targetValue,
          achievedValue: achieved ?? null,
        });
      }
    }
    const byMeasure = [...measures.values()];
    const sum = (pick: (measure: EvaluationMeasureDto) => number) =>
      byMeasure.reduce((total, measure) => total + pick(measure), 0);
    return {
      campaignId,
      byMeasure,
      byQpv: [...byQpv.entries()]
        .map(([qpvCode, beneficiaries]) => ({ qpvCode, name: names.get(qpvCode) ?? qpvCode, beneficiaries }))
        .sort((a, b) => b.beneficiaries - a.beneficiaries || a.qpvCode.localeCompare(b.qpvCode)),
      totals: {
        fundedActions: sum((measure) => measure.fundedActions),
        acceptedReports: sum((measure) => measure.acceptedReports),
        grantedCents: sum((measure) => measure.grantedCents),
        paidCents: sum((measure) => measure.paidCents),
        beneficiaries: sum((measure) => measure.beneficiaries),
      },
    };
  }

  /** The evaluation as CSV: one row per indicator of each funded action, `;`-separated UTF-8 with BOM. */
  async evaluationCsv(user: AuthUser, campaignId: string): Promise<string> {
    const evaluation = await this.evaluation(user, campaignId);
    const lines = [
      csvLine(
        [
          'Thème',
          'Mesure',
          'Référence',
          'Indicateur',
          'Unité',
          'Cible',
          'Réalisé',
          'Accordé à la mesure (€)',
          'Versé à la mesure (€)',
        ],
        ';',
      ),
    ];
    for (const measure of evaluation.byMeasure)
      for (const indicator of measure.indicators)
        lines.push(
          csvLine(
            [
              measure.themeLabel,
              measure.measureLabel ?? '',
              indicator.reference,
              indicator.label,
              indicator.unit,
              indicator.targetValue.toLocaleString('fr-FR'),
              indicator.achievedValue === null ? '' : indicator.achievedValue.toLocaleString('fr-FR'),
              frenchDecimal(measure.grantedCents),
              frenchDecimal(measure.paidCents),
            ],
            ';',
          ),
        );
    return '\uFEFF' + lines.join('');
  }
}
