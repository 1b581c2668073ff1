/**
 * The eligibility and transversal-priority checks of an application, as pure functions of plain values.
 * Each rule yields PASS, WARN or FAIL; a FAIL blocks submission only where the rule is blocking.
 */
import { ApplicationError, type ErrorCode } from '../../common/application-error.js';
import { formatEuros, formatShare, shareAbove, shareAtLeast, sumCents } from '../../common/money.js';
import { IN_KIND_CHARGE_POSTE, IN_KIND_PRODUCT_POSTE, posteOf, SUBSIDY_POSTE } from './budget-lines.js';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  rule: string;
  status: CheckStatus;
  /** True when this result stops the submission. */
  blocking: boolean;
  message: string;
  /** On WARN or FAIL: the stable code of what is wrong, and the field it concerns. */
  code?: string;
  field?: string;
}

export const AGE_BANDS = ['0-5', '6-11', '12-15', '16-25', '26-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const UNDER_26_BANDS: readonly AgeBand[] = ['0-5', '6-11', '12-15', '16-25'];

export interface BudgetLine {
  account: string;
  label: string;
  amountCents: number;
  /** On a 74 line: a financer of the contract, whose request is reviewed and decided here. */
  partnerCode?: string;
  /** On a 74 line: a funder outside the contract (FSE, a foundation...), counted, never decided here. */
  funder?: string;
}

/** An evaluation indicator of the application: what will be measured, in what unit, and the target. */
export interface Indicator {
  label: string;
  unit: string;
  targetValue: number;
}

export interface Beneficiaries {
  total: number;
  qpvResidents: number;
  women: number;
  men: number;
  byAge: Partial<Record<AgeBand, number>>;
}

export interface Priorities {
  genderEquality?: { marker: 0 | 1 | 2; measures: string; womenShareJustification?: string };
  youth?: { measures: string };
  antiDiscrimination?: { measures: string };
}

export interface CheckRules {
  minQpvSharePercent: number;
  maxSingleFinancerSharePercent: number;
  minWomenSharePercent: number;
  /** A request at or above this total, with gender marker 0, raises a warning. */
  largeRequestThresholdCents: number;
  /** Themes whose actions are expected to reach people under 26. */
  youthThemeCodes: string[];
}

export const DEFAULT_CHECK_RULES: CheckRules = {
  minQpvSharePercent: 50,
  maxSingleFinancerSharePercent: 80,
  minWomenSharePercent: 40,
  largeRequestThresholdCents: 10_000_00,
  youthThemeCodes: ['EMP', 'EDU'],
};

export const REQUIRED_DOCUMENTS = ['STATUTES', 'BANK_DETAILS'] as const;
export const RECOMMENDED_DOCUMENTS = ['ACCOUNTS', 'ACTIVITY_REPORT'] as const;

const DOCUMENT_LABELS: Record<string, string> = {
  STATUTES: 'les statuts',
  BANK_DETAILS: 'le RIB',
  ACCOUNTS: 'les derniers comptes approuvés',
  ACTIVITY_REPORT: 'le dernier rapport d’activité',
};

export interface CheckInput {
  themeCode: string | null;
  stakeId: string | null;
  title: string | null;
  summary: string | null;
  objectives: string | null;
  description: string | null;
  location: string | null;
  startDate: string | null;
  endDate: string | null;
  qpvCodes: string[];
  beneficiaries: Beneficiaries | null;
  priorities: Priorities | null;
  budget: { charges: BudgetLine[]; products: BudgetLine[] } | null;
  /** The evaluation indicators the holder commits to (1 to 10). */
  indicators: Indicator[] | null;
  /** Partners that put money in this campaign (those with an envelope). */
  campaignFinancerCodes: string[];
  /** The contract's partners' names by code: messages name a financer, never by its bare code. */
  partnerNames: Record<string, string>;
  attachmentKinds: string[];
  campaignYear: number;
}

const MIN_STATEMENT_LENGTH = 20;
/** Account 74 of the associations' chart of accounts: operating grants, one line per financer asked. */
export const SUBSIDY_ACCOUNT = SUBSIDY_POSTE;

/** A product line of the 74 heading (74, 74etat, 74fe...): a grant asked. */
export const isSubsidyLine = (line: BudgetLine): boolean =>
  posteOf('product', line.account) === SUBSIDY_POSTE;
const isInKindCharge = (line: BudgetLine): boolean =>
  posteOf('charge', line.account) === IN_KIND_CHARGE_POSTE;
const isInKindProduct = (line: BudgetLine): boolean =>
  posteOf('product', line.account) === IN_KIND_PRODUCT_POSTE;

type Rule = (input: CheckInput, rules: CheckRules) => CheckResult;

export const pass = (rule: string, message: string): CheckResult => ({
  rule,
  status: 'PASS',
  blocking: false,
  message,
});
export const warn = (rule: string, code: string, field: string, message: string): CheckResult => ({
  rule,
  status: 'WARN',
  blocking: false,
  message,
  code,
  field,
});
export const fail = (rule: string, code: string, field: string, message: string): CheckResult => ({
  rule,
  status: 'FAIL',
  blocking: true,
  message,
  code,
  field,
});

const blank = (text: string | null | undefined): boolean => !text || text.trim().length === 0;

/** A financer as associations know it (« Ville de Montélimar »), its code only if the contract lacks it. */
const partnerName = (input: Pick<CheckInput, 'partnerNames'>, code: string): string =>
  input.partnerNames[code] ?? code;

export const MAX_INDICATORS = 10;

export const indicatorsGiven: Rule = (input) => {
  const count = input.indicators?.length ?? 0;
  return count > 0
    ? pass('INDICATORS', `${count} indicateur(s) d’évaluation, avec leur cible.`)
    : fail(
        'INDICATORS',
        'INDICATORS_REQUIRED',
        'indicators',
        'Indiquez au moins un indicateur d’évaluation (par exemple « Jeunes accompagnés », en personnes, cible 20) : le bilan les comparera à ce qui aura été réalisé.',
      );
};

/** Every charge, contributions in kind included: what the products must balance. */
export function totalCharges(input: Pick<CheckInput, 'budget'>): number {
  return sumCents((input.budget?.charges ?? []).map((line) => line.amountCents));
}

/**
 * The cost of the action: its charges without the contributions in kind (86), which no financer pays. Every
 * share, the convention's cost, the report's variance and the open data use it.
 */
export function totalCost(input: Pick<CheckInput, 'budget'>): number {
  return sumCents(
    (input.budget?.charges ?? []).filter((line) => !isInKindCharge(line)).map((line) => line.amountCents),
  );
}

/** The contributions in kind: charges 86 (their use), which products 87 (their source) must equal. */
export function inKindCharges(input: Pick<CheckInput, 'budget'>): number {
  return sumCents((input.budget?.charges ?? []).filter(isInKindCharge).map((line) => line.amountCents));
}

export function inKindProducts(input: Pick<CheckInput, 'budget'>): number {
  return sumCents((input.budget?.products ?? []).filter(isInKindProduct).map((line) => line.amountCents));
}

/** The 74 lines naming a funder outside the contract: counted in the budget, never decided here. */
export function outsideFunding(input: Pick<CheckInput, 'budget'>): { funder: string; amountCents: number }[] {
  return (input.budget?.products ?? [])
    .filter((line) => isSubsidyLine(line) && line.funder)
    .map((line) => ({ funder: line.funder!, amountCents: line.amountCents }));
}

export function totalProducts(input: Pick<CheckInput, 'budget'>): number {
  return sumCents((input.budget?.products ?? []).map((line) => line.amountCents));
}

/** The requests to financers: the 74 lines, summed per partner. */
export function requestsByPartner(input: Pick<CheckInput, 'budget'>): Map<string, number> {
  const requests = new Map<string, number>();
  for (const line of input.budget?.products ?? []) {
    if (isSubsidyLine(line) && line.partnerCode) {
      requests.set(line.partnerCode, (requests.get(line.partnerCode) ?? 0) + line.amountCents);
    }
  }
  return requests;
}

export const completeness: Rule = (input) => {
  const missing: string[] = [];
  if (blank(input.title)) missing.push('titre');
  if (blank(input.summary)) missing.push('résumé');
  if (blank(input.objectives)) missing.push('objectifs');
  if (blank(input.description)) missing.push('description');
  if (!input.stakeId) missing.push('enjeu');
  if (blank(input.location)) missing.push('lieu');
  if (!input.startDate || !input.endDate) missing.push('dates de l’action');
  if (!input.beneficiaries) missing.push('public visé');
  if (!input.priorities) missing.push('priorités transversales');
  if (!input.budget) missing.push('budget');
  return missing.length === 0
    ? pass('COMPLETENESS', 'Toutes les rubriques du dossier sont renseignées.')
    : fail(
        'COMPLETENESS',
        'APPLICATION_INCOMPLETE',
        'application',
        `Rubriques à compléter : ${missing.join(', ')}.`,
      );
};

export const budgetBalanced: Rule = (input) => {
  const charges = totalCharges(input);
  const products = totalProducts(input);
  if (
    !input.budget ||
    (input.budget.charges.length === 0 && input.budget.products.length === 0) ||
    charges === 0
  ) {
    return fail(
      'BUDGET_BALANCED',
      'BUDGET_EMPTY',
      'budget',
      'Le budget de l’action est vide : indiquez ses charges et ses produits.',
    );
  }
  if (charges !== products) {
    const gap = charges - products;
    return fail(
      'BUDGET_BALANCED',
      'BUDGET_UNBALANCED',
      'budget',
      `Le budget n’est pas équilibré : charges ${formatEuros(charges)}, produits ${formatEuros(products)} ` +
        `(${gap > 0 ? 'il manque' : 'il y a en trop'} ${formatEuros(Math.abs(gap))} de produits).`,
    );
  }
  return pass('BUDGET_BALANCED', `Le budget est équilibré à ${formatEuros(charges)}.`);
};

export const financerRequested: Rule = (input) => {
  const requests = requestsByPartner(input);
  const total = sumCents([...requests.values()]);
  return requests.size > 0 && total > 0
    ? pass('FINANCER_REQUESTED', `${formatEuros(total)} demandés à ${requests.size} financeur(s).`)
    : fail(
        'FINANCER_REQUESTED',
        'NO_FINANCER_REQUESTED',
        'budget.products',
        'Aucune subvention n’est demandée : ajoutez une ligne 74 par financeur sollicité.',
      );
};

export const financersOfCampaign: Rule = (input) => {
  const unknown = [...requestsByPartner(input).keys()].filter(
    (code) => !input.campaignFinancerCodes.includes(code),
  );
  return unknown.length === 0
    ? pass('FINANCERS_OF_CAMPAIGN', 'Chaque financeur sollicité participe à l’appel à projets.')
    : fail(
        'FINANCERS_OF_CAMPAIGN',
        'FINANCER_NOT_IN_CAMPAIGN',
        'budget.products',
        `Ces financeurs ne participent pas à l’appel à projets : ${unknown.map((code) => partnerName(input, code)).join(', ')}. ` +
          `Financeurs possibles : ${input.campaignFinancerCodes.map((code) => partnerName(input, code)).join(', ') || 'aucun'}.`,
      );
};

export const singleFinancerShare: Rule = (input, rules) => {
  // Volunteer time and other contributions in kind pay nothing: they do not dilute a financer's share.
  const cost = totalCost(input);
  const over = [...requestsByPartner(input).entries()].filter(([, amount]) =>
    shareAbove(amount, cost, rules.maxSingleFinancerSharePercent),
  );
  if (cost === 0)
    return pass('SINGLE_FINANCER_SHARE', 'Pas de coût total : part des financeurs non calculée.');
  return over.length === 0
    ? pass(
        'SINGLE_FINANCER_SHARE',
        `Aucun financeur ne porte plus de ${rules.maxSingleFinancerSharePercent} % du coût de l’action.`,
      )
    : fail(
        'SINGLE_FINANCER_SHARE',
        'SINGLE_FINANCER_SHARE_EXCEEDED',
        'budget.products',
        over
          .map(
            ([code, amount]) => `${partnerName(input, code)} porterait ${formatShare(amount, cost)} du coût`,
          )
          .join(' ; ') +
          ` : au plus ${rules.maxSingleFinancerSharePercent} % par financeur, le reste en cofinancement ou autofinancement.`,
      );
};

export const qpvTarget: Rule = (input) =>
  input.qpvCodes.length > 0
    ? pass('QPV_TARGET', `Quartiers visés : ${input.qpvCodes.join(', ')}.`)
    : fail(
        'QPV_TARGET',
        'QPV_REQUIRED',
        'qpvCodes',
        'Indiquez au moins un quartier prioritaire (QPV) visé par l’action.',
      );

export const beneficiariesConsistent: Rule = (input) => checkBeneficiaries(input.beneficiaries);

/** The public is given and its parts do not exceed the whole (also used by the end-of-action report). */
export function checkBeneficiaries(b: Beneficiaries | null): CheckResult {
  if (!b || b.total <= 0) {
    return fail(
      'BENEFICIARIES',
      'BENEFICIARIES_MISSING',
      'beneficiaries.total',
      'Indiquez le nombre de bénéficiaires attendus.',
    );
  }
  const problems: string[] = [];
  if (b.qpvResidents > b.total) problems.push('plus d’habitants des QPV que de bénéficiaires');
  if (b.women + b.men > b.total) problems.push('plus de femmes et d’hommes que de bénéficiaires');
  const byAge = sumCents(AGE_BANDS.map((band) => b.byAge?.[band] ?? 0));
  if (byAge > b.total) problems.push('plus de bénéficiaires par âge que de bénéficiaires');
  return problems.length === 0
    ? pass('BENEFICIARIES', `${b.total} bénéficiaires attendus.`)
    : fail(
        'BENEFICIARIES',
        'BENEFICIARIES_INCONSISTENT',
        'beneficiaries',
        `Le public visé est incohérent : ${problems.join(' ; ')}.`,
      );
}

export const qpvShare: Rule = (input, rules) => {
  const b = input.beneficiaries;
  if (!b || b.total <= 0)
    return warn(
      'QPV_SHARE',
      'QPV_SHARE_UNKNOWN',
      'beneficiaries.qpvResidents',
      'Part des habitants des QPV inconnue.',
    );
  return shareAtLeast(b.qpvResidents, b.total, rules.minQpvSharePercent)
    ? pass('QPV_SHARE', `${formatShare(b.qpvResidents, b.total)} des bénéficiaires habitent un QPV.`)
    : warn(
        'QPV_SHARE',
        'QPV_SHARE_LOW',
        'beneficiaries.qpvResidents',
        `${formatShare(b.qpvResidents, b.total)} seulement des bénéficiaires habitent un QPV ` +
          `(au moins ${rules.minQpvSharePercent} % attendus) : l’équipe du contrat de ville appréciera l’éligibilité.`,
      );
};

export const genderBreakdown: Rule = (input, rules) => {
  const b = input.beneficiaries;
  if (!b || b.women + b.men === 0) {
    return warn(
      'GENDER_BREAKDOWN',
      'GENDER_BREAKDOWN_MISSING',
      'beneficiaries.women',
      'Indiquez la répartition attendue entre femmes et hommes.',
    );
  }
  const known = b.women + b.men;
  if (shareAtLeast(b.women, known, rules.minWomenSharePercent)) {
    return pass('GENDER_BREAKDOWN', `${formatShare(b.women, known)} de femmes parmi les bénéficiaires.`);
  }
  const justification = input.priorities?.genderEquality?.womenShareJustification;
  return blank(justification)
    ? warn(
        'GENDER_BREAKDOWN',
        'WOMEN_SHARE_LOW',
        'beneficiaries.women',
        `${formatShare(b.women, known)} de femmes seulement (au moins ${rules.minWomenSharePercent} % attendus) : ` +
          'expliquez pourquoi, ou comment l’accès des femmes à l’action sera favorisé.',
      )
    : pass('GENDER_BREAKDOWN', `${formatShare(b.women, known)} de femmes, part justifiée par le porteur.`);
};

export const genderMarker: Rule = (input, rules) => {
  const marker = input.priorities?.genderEquality?.marker;
  const requested = sumCents([...requestsByPartner(input).values()]);
  if (marker === 0 && requested >= rules.largeRequestThresholdCents) {
    return warn(
      'GENDER_MARKER',
      'GENDER_MARKER_ZERO_ON_LARGE_REQUEST',
      'priorities.genderEquality.marker',
      `Marqueur égalité femmes-hommes à 0 pour une demande de ${formatEuros(requested)} : ` +
        'précisez comment l’action prend en compte l’égalité.',
    );
  }
  const b = input.beneficiaries;
  const known = b ? b.women + b.men : 0;
  if (marker === 2 && b && known > 0 && !shareAtLeast(b.women, known, rules.minWomenSharePercent)) {
    return warn(
      'GENDER_MARKER',
      'GENDER_MARKER_INCONSISTENT',
      'priorities.genderEquality.marker',
      `Marqueur égalité femmes-hommes à 2 (l’égalité est l’objectif principal de l’action) avec ${formatShare(b.women, known)} de femmes parmi les bénéficiaires, sous les ${rules.minWomenSharePercent} % attendus : vérifiez le marqueur ou le public.`,
    );
  }
  return pass('GENDER_MARKER', `Marqueur égalité femmes-hommes : ${marker ?? 'non renseigné'}.`);
};

export const youthShare: Rule = (input, rules) => {
  const expected = input.themeCode !== null && rules.youthThemeCodes.includes(input.themeCode);
  const b = input.beneficiaries;
  const under26 = b ? sumCents(UNDER_26_BANDS.map((band) => b.byAge?.[band] ?? 0)) : 0;
  if (expected && under26 === 0) {
    return warn(
      'YOUTH_SHARE',
      'YOUTH_SHARE_MISSING',
      'beneficiaries.byAge',
      'Cette thématique vise en priorité la jeunesse : indiquez combien de bénéficiaires ont moins de 26 ans.',
    );
  }
  return pass(
    'YOUTH_SHARE',
    b && b.total > 0
      ? `${formatShare(under26, b.total)} de bénéficiaires de moins de 26 ans.`
      : 'Public jeune non requis.',
  );
};

export const priorityStatements: Rule[] = [
  (input) =>
    blank(input.priorities?.genderEquality?.measures) ||
    input.priorities!.genderEquality!.measures.trim().length < MIN_STATEMENT_LENGTH
      ? fail(
          'GENDER_EQUALITY_STATEMENT',
          'GENDER_EQUALITY_STATEMENT_MISSING',
          'priorities.genderEquality.measures',
          'Décrivez comment l’action prend en compte l’égalité entre les femmes et les hommes.',
        )
      : pass('GENDER_EQUALITY_STATEMENT', 'Prise en compte de l’égalité femmes-hommes décrite.'),
  (input) =>
    blank(input.priorities?.antiDiscrimination?.measures) ||
    input.priorities!.antiDiscrimination!.measures.trim().length < MIN_STATEMENT_LENGTH
      ? fail(
          'ANTI_DISCRIMINATION_STATEMENT',
          'ANTI_DISCRIMINATION_STATEMENT_MISSING',
          'priorities.antiDiscrimination.measures',
          'Décrivez comment l’accès à l’action reste ouvert à toutes et tous, sans discrimination.',
        )
      : pass('ANTI_DISCRIMINATION_STATEMENT', 'Prévention des discriminations décrite.'),
  // « L'ensemble des actions doivent satisfaire aux priorités transversales » (protocol): the three block alike.
  (input) =>
    blank(input.priorities?.youth?.measures) ||
    input.priorities!.youth!.measures.trim().length < MIN_STATEMENT_LENGTH
      ? fail(
          'YOUTH_STATEMENT',
          'YOUTH_STATEMENT_MISSING',
          'priorities.youth.measures',
          'Décrivez la place de la jeunesse dans l’action (priorité transversale du contrat de ville).',
        )
      : pass('YOUTH_STATEMENT', 'Place de la jeunesse décrite.'),
];

export const documents: Rule[] = [
  (input) => {
    const missing = REQUIRED_DOCUMENTS.filter((kind) => !input.attachmentKinds.includes(kind));
    return missing.length === 0
      ? pass('REQUIRED_DOCUMENTS', 'Statuts et RIB joints.')
      : fail(
          'REQUIRED_DOCUMENTS',
          'DOCUMENTS_MISSING',
          'attachments',
          `Pièces obligatoires manquantes : ${missing.map((kind) => DOCUMENT_LABELS[kind]).join(', ')}.`,
        );
  },
  (input) => {
    const missing = RECOMMENDED_DOCUMENTS.filter((kind) => !input.attachmentKinds.includes(kind));
    return missing.length === 0
      ? pass('RECOMMENDED_DOCUMENTS', 'Comptes et rapport d’activité joints.')
      : warn(
          'RECOMMENDED_DOCUMENTS',
          'DOCUMENTS_RECOMMENDED',
          'attachments',
          `Pièces attendues : ${missing.map((kind) => DOCUMENT_LABELS[kind]).join(', ')}.`,
        );
  },
];

export const actionDates: Rule = (input) => {
  if (!input.startDate || !input.endDate) return pass('ACTION_DATES', 'Dates non renseignées.');
  const year = String(input.campaignYear);
  const overlaps = input.startDate.slice(0, 4) <= year && input.endDate.slice(0, 4) >= year;
  return overlaps
    ? pass('ACTION_DATES', `Action du ${input.startDate} au ${input.endDate}.`)
    : warn(
        'ACTION_DATES',
        'ACTION_OUTSIDE_CAMPAIGN_YEAR',
        'startDate',
        `L’action ne se déroule pas en ${year}, année de l’appel à projets.`,
      );
};

const RULES: Rule[] = [
  completeness,
  budgetBalanced,
  financerRequested,
  financersOfCampaign,
  singleFinancerShare,
  qpvTarget,
  beneficiariesConsistent,
  qpvShare,
  genderBreakdown,
  genderMarker,
  youthShare,
  indicatorsGiven,
  ...priorityStatements,
  ...documents,
  actionDates,
];

export function runChecks(input: CheckInput, rules: CheckRules = DEFAULT_CHECK_RULES): CheckResult[] {
  return RULES.map((rule) => rule(input, rules));
}

export const blockingFailures = (results: CheckResult[]): CheckResult[] =>
  results.filter((result) => result.blocking);

/** Refuses with 422 `code`, one detail per blocking failure, when any check blocks what `what` describes. */
export function assertNothingBlocks(results: CheckResult[], code: ErrorCode, what: string): void {
  const failures = blockingFailures(results);
  if (failures.length === 0) return;
  throw new ApplicationError(
    'UNPROCESSABLE',
    code,
    `${what} ne peut pas être déposé : ${failures.length} point(s) bloquant(s).`,
    failures.map((failure) => ({ field: failure.field, code: failure.code!, message: failure.message })),
  );
}
