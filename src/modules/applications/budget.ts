import { type CodedDetail, unprocessableAll } from '../../common/application-error.js';
import { SUBSIDY_ACCOUNT, type BudgetLine } from '../checks/checks.js';
import './applications.errors.js'; // registers the codes thrown here

/** Account classes of the CERFA 12156 financing plan. */
export const CHARGE_ACCOUNTS = ['60', '61', '62', '63', '64', '65', '66', '67', '68', '69', '86'] as const;
export const PRODUCT_ACCOUNTS = ['70', '73', '74', '75', '76', '77', '78', '79', '87'] as const;
export { SUBSIDY_ACCOUNT };

/**
 * Shape rules a budget must keep to be saved at all (its balance is a check, run at submission):
 * each 74 line names one financer, only 74 lines name one, one line per financer.
 */
export function budgetShapeProblems(products: BudgetLine[]): CodedDetail[] {
  const problems: CodedDetail[] = [];
  const seen = new Set<string>();
  products.forEach((line, index) => {
    const field = `budget.products.${index}.partnerCode`;
    if (line.account === SUBSIDY_ACCOUNT && !line.partnerCode) {
      problems.push({
        field,
        code: 'SUBSIDY_LINE_WITHOUT_FINANCER',
        message: 'Chaque ligne 74 doit nommer le financeur sollicité.',
      });
    }
    if (line.account !== SUBSIDY_ACCOUNT && line.partnerCode) {
      problems.push({
        field,
        code: 'FINANCER_ON_NON_SUBSIDY_LINE',
        message: 'Seules les lignes 74 (subventions) nomment un financeur.',
      });
    }
    if (line.partnerCode) {
      if (seen.has(line.partnerCode)) {
        problems.push({
          field,
          code: 'DUPLICATE_FINANCER_LINE',
          message: `Une seule ligne 74 par financeur (${line.partnerCode} en a plusieurs).`,
        });
      }
      seen.add(line.partnerCode);
    }
  });
  return problems;
}

export function assertBudgetShape(products: BudgetLine[]): void {
  const problems = budgetShapeProblems(products);
  const [first, ...others] = problems;
  if (first) throw unprocessableAll([first, ...others]);
}
