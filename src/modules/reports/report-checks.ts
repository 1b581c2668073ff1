/** Checks of an end-of-action report: pure functions of plain values. */
import { formatEuros, formatShare, shareAbove, sumCents } from '../../common/money.js';
import {
  checkBeneficiaries,
  totalCost,
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
