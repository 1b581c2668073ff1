import { type CodedDetail, unprocessableAll } from '../../common/application-error.js';
import { formatEuros } from '../../common/money.js';
import { CHARGE_CODES, PRODUCT_CODES } from '../checks/budget-lines.js';
import {
  inKindCharges,
  inKindProducts,
  isSubsidyLine,
  SUBSIDY_ACCOUNT,
  type BudgetLine,
} from '../checks/checks.js';
import './applications.errors.js'; // registers the codes thrown here

/** The accounts a charge or a product line may name: the CERFA 12156 budget's lines (`budget-lines.ts`). */
export const CHARGE_ACCOUNTS = CHARGE_CODES;
export const PRODUCT_ACCOUNTS = PRODUCT_CODES;
export { SUBSIDY_ACCOUNT };

/**
 * Shape rules a budget must keep to be saved at all (its balance is a check, run at submission): each 74
 * line names either a financer of the contract or a funder outside it, and only 74 lines name one; one line
 * per financer; the contributions in kind used (86) equal those received (87).
 */
export function budgetShapeProblems(budget: {
  charges: BudgetLine[];
  products: BudgetLine[];
}): CodedDetail[] {
  const problems: CodedDetail[] = [];
  const seen = new Set<string>();
  budget.products.forEach((line, index) => {
    const field = `budget.products.${index}`;
    const subsidy = isSubsidyLine(line);
    if (subsidy && Boolean(line.partnerCode) === Boolean(line.funder)) {
      problems.push({
        field: `${field}.partnerCode`,
        code: 'FUNDER_REQUIRED',
        message:
          'Chaque ligne 74 nomme soit un financeur du contrat de ville (partnerCode), soit un financeur extérieur ' +
          '(funder : Fonds social européen, fondation...), pas les deux.',
      });
    }
    if (!subsidy && (line.partnerCode || line.funder)) {
      problems.push({
        field: `${field}.${line.partnerCode ? 'partnerCode' : 'funder'}`,
        code: 'FINANCER_ON_NON_SUBSIDY_LINE',
        message: 'Seules les lignes 74 (subventions) nomment un financeur.',
      });
    }
    if (line.partnerCode) {
      if (seen.has(line.partnerCode)) {
        problems.push({
          field: `${field}.partnerCode`,
          code: 'DUPLICATE_FINANCER_LINE',
          message: 'Une seule ligne 74 par financeur : celui-ci figure déjà sur une autre ligne.',
        });
      }
      seen.add(line.partnerCode);
    }
  });
  const used = inKindCharges({ budget });
  const received = inKindProducts({ budget });
  if (used !== received) {
    problems.push({
      field: 'budget',
      code: 'IN_KIND_UNBALANCED',
      message:
        `Les contributions volontaires en nature doivent s’équilibrer : emplois (86) ${formatEuros(used)}, ` +
        `contributions (87) ${formatEuros(received)}.`,
    });
  }
  return problems;
}

export function assertBudgetShape(budget: { charges: BudgetLine[]; products: BudgetLine[] }): void {
  const problems = budgetShapeProblems(budget);
  const [first, ...others] = problems;
  if (first) throw unprocessableAll([first, ...others]);
}
