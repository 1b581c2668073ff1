import type { CodedDetail } from '../../common/application-error.js';
import { formatEuros } from '../../common/money.js';
import './programming.errors.js'; // registers the codes of the problems

/** Problems with the decisions themselves (422), all reported at once. */
export function decisionProblems(
  decisions: { partnerCode: string; grantedAmountCents: number; reason?: string }[],
  requested: Map<string, number>,
): CodedDetail[] {
  const problems: CodedDetail[] = [];
  const seen = new Set<string>();
  decisions.forEach((decision, index) => {
    const field = `decisions.${index}`;
    const asked = requested.get(decision.partnerCode);
    if (seen.has(decision.partnerCode)) {
      problems.push({
        field,
        code: 'DUPLICATE_DECISION',
        message: `Deux décisions pour ${decision.partnerCode}.`,
      });
    }
    seen.add(decision.partnerCode);
    if (asked === undefined) {
      problems.push({
        field,
        code: 'PARTNER_NOT_REQUESTED',
        message: `${decision.partnerCode} n’est pas sollicité par ce dossier.`,
      });
      return;
    }
    if (decision.grantedAmountCents > asked) {
      problems.push({
        field: `${field}.grantedAmountCents`,
        code: 'GRANT_ABOVE_REQUEST',
        message: `${decision.partnerCode} accorderait ${formatEuros(decision.grantedAmountCents)} pour ${formatEuros(asked)} demandés.`,
      });
    }
    if (decision.grantedAmountCents < asked && !decision.reason?.trim()) {
      problems.push({
        field: `${field}.reason`,
        code: 'REASON_REQUIRED',
        message: `Motivez ${decision.grantedAmountCents === 0 ? 'le refus' : 'le montant réduit'} de ${decision.partnerCode} : le porteur le lira.`,
      });
    }
  });
  const missing = [...requested.keys()].filter((code) => !seen.has(code));
  if (missing.length > 0) {
    problems.push({
      field: 'decisions',
      code: 'DECISIONS_INCOMPLETE',
      message: `Décidez pour chaque financeur sollicité : ${missing.join(', ')}.`,
    });
  }
  return problems;
}
