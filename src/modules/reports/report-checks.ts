/** Checks of an end-of-action report: pure functions of plain values. */
import { formatEuros, formatShare, shareAbove, sumCents } from '../../common/money.js';
import {
  checkBeneficiaries,
  fail,
  pass,
  totalCost,
  warn,
  type Beneficiaries,
  type BudgetLine,
  type CheckResult,
} from '../checks/checks.js';

export const MAX_VARIANCE_PERCENT = 15;

export interface ReportCheckInput {
  budget: { charges: BudgetLine[]; products: BudgetLine[] };
  beneficiaries: Beneficiaries;
  achievements: string;
  varianceExplanation: string | null;
  /** The planned cost of the action (charges without contributions in kind). */
  forecastChargesCents: number;
  /** The beneficiaries living in each QPV (QPV code → count). */
  byQpv?: Record<string, number> | null;
  /** The indicators the application committed to. */
  plannedIndicators?: { label: string }[] | null;
  /** The report's indicators, with the values achieved. */
  indicators?: { label: string; achievedValue: number }[] | null;
  actualStartDate?: string | null;
  actualEndDate?: string | null;
  certification?: { signatoryName: string; signatoryRole: string; certifiesAccuracy: boolean } | null;
}

export function runReportChecks(input: ReportCheckInput): CheckResult[] {
  const charges = sumCents(input.budget.charges.map((line) => line.amountCents));
  const products = sumCents(input.budget.products.map((line) => line.amountCents));
  const results: CheckResult[] = [];

  results.push(
    charges > 0 && charges === products
      ? {
          rule: 'REPORT_BUDGET_BALANCED',
          status: 'PASS',
          blocking: false,
          message: `Budget réalisé équilibré à ${formatEuros(charges)}.`,
        }
      : {
          rule: 'REPORT_BUDGET_BALANCED',
          status: 'FAIL',
          blocking: true,
          code: 'REPORT_BUDGET_UNBALANCED',
          field: 'budget',
          message: `Le budget réalisé n’est pas équilibré : charges ${formatEuros(charges)}, produits ${formatEuros(products)}.`,
        },
  );

  // Contributions in kind (86) are compared with nothing: the variance is on the cost of the action.
  const cost = totalCost(input);
  const gap = Math.abs(cost - input.forecastChargesCents);
  const large =
    input.forecastChargesCents > 0 && shareAbove(gap, input.forecastChargesCents, MAX_VARIANCE_PERCENT);
  const explained = !!input.varianceExplanation?.trim();
  results.push(
    !large
      ? {
          rule: 'REPORT_VARIANCE',
          status: 'PASS',
          blocking: false,
          message: `Écart au budget prévisionnel : ${formatShare(gap, input.forecastChargesCents)}.`,
        }
      : explained
        ? {
            rule: 'REPORT_VARIANCE',
            status: 'WARN',
            blocking: false,
            code: 'REPORT_VARIANCE_EXPLAINED',
            field: 'varianceExplanation',
            message: `Écart de ${formatShare(gap, input.forecastChargesCents)} au budget prévisionnel, expliqué par le porteur.`,
          }
        : {
            rule: 'REPORT_VARIANCE',
            status: 'FAIL',
            blocking: true,
            code: 'REPORT_VARIANCE_UNEXPLAINED',
            field: 'varianceExplanation',
            message: `Le coût réalisé (${formatEuros(cost)}) s’écarte de ${formatShare(gap, input.forecastChargesCents)} du budget prévisionnel (${formatEuros(input.forecastChargesCents)}) : au-delà de ${MAX_VARIANCE_PERCENT} %, expliquez cet écart.`,
          },
  );

  results.push({ ...checkBeneficiaries(input.beneficiaries), rule: 'REPORT_BENEFICIARIES' });
  results.push(checkByQpv(input));
  results.push(checkIndicators(input));
  results.push(
    input.actualStartDate && input.actualEndDate
      ? pass('REPORT_ACTUAL_DATES', 'Dates de réalisation indiquées.')
      : fail(
          'REPORT_ACTUAL_DATES',
          'ACTUAL_DATES_MISSING',
          input.actualStartDate ? 'actualEndDate' : 'actualStartDate',
          'Indiquez les dates auxquelles l’action a réellement commencé et fini.',
        ),
  );
  results.push(
    input.certification?.certifiesAccuracy
      ? pass('REPORT_CERTIFICATION', `Bilan attesté par ${input.certification.signatoryName}.`)
      : fail(
          'REPORT_CERTIFICATION',
          'CERTIFICATION_REQUIRED',
          'certification',
          'Le représentant légal, ou la personne qu’il a mandatée, atteste l’exactitude du bilan.',
        ),
  );

  results.push(
    input.achievements.trim().length >= 20
      ? { rule: 'REPORT_ACHIEVEMENTS', status: 'PASS', blocking: false, message: 'Réalisations décrites.' }
      : {
          rule: 'REPORT_ACHIEVEMENTS',
          status: 'FAIL',
          blocking: true,
          code: 'ACHIEVEMENTS_MISSING',
          field: 'achievements',
          message: 'Décrivez ce qui a été réalisé, et ce qui ne l’a pas été.',
        },
  );
  return results;
}

/** Each indicator of the application has the value the action achieved (CERFA 15059 « Indicateurs »). */
function checkIndicators(input: ReportCheckInput): CheckResult {
  const planned = input.plannedIndicators ?? [];
  const given = new Set((input.indicators ?? []).map((indicator) => indicator.label.trim()));
  const missing = planned.filter((indicator) => !given.has(indicator.label.trim()));
  if (missing.length === 0) return pass('REPORT_INDICATORS', `${planned.length} indicateur(s) renseigné(s).`);
  return fail(
    'REPORT_INDICATORS',
    'INDICATORS_ACHIEVED_MISSING',
    'indicators',
    `Indiquez la valeur atteinte de chaque indicateur de la demande : ${missing
      .map((indicator) => `« ${indicator.label} »`)
      .join(', ')}.`,
  );
}

/** The QPV residents reached, quarter by quarter (CERFA 15059 « Bénéficiaires par quartier »). */
function checkByQpv(input: ReportCheckInput): CheckResult {
  const residents = input.beneficiaries.qpvResidents;
  const counts = Object.values(input.byQpv ?? {});
  if (residents <= 0) return pass('REPORT_BY_QPV', 'Aucun habitant des quartiers prioritaires déclaré.');
  if (counts.length === 0)
    return fail(
      'REPORT_BY_QPV',
      'BENEFICIARIES_BY_QPV_MISSING',
      'beneficiaries.byQpv',
      `Répartissez les ${residents} habitants des quartiers prioritaires touchés entre les quartiers.`,
    );
  const total = sumCents(counts);
  return total === residents
    ? pass('REPORT_BY_QPV', `${residents} habitants des quartiers, répartis par quartier.`)
    : warn(
        'REPORT_BY_QPV',
        'BENEFICIARIES_BY_QPV_PARTIAL',
        'beneficiaries.byQpv',
        `La répartition par quartier compte ${total} personnes pour ${residents} habitants des quartiers prioritaires déclarés.`,
      );
}
