import { ApplicationError, ErrorDetail } from '../../common/application-error.js';
import { DEFAULT_CHECK_RULES, type CheckRules } from '../checks/checks.js';
import { parisDate } from '../../common/paris-time.js';
import './campaigns.errors.js'; // registers the codes thrown here

export interface CampaignRules extends CheckRules {
  /** Share of each grant paid in advance; the balance follows the report. */
  advancePercent: number;
  /**
   * Each financer reads only its own partner's reviews until the programming is closed (by default the
   * co-financers asked in an application share their pre-instruction, as the contract says).
   */
  privateReviews: boolean;
}

export const DEFAULT_CAMPAIGN_RULES: CampaignRules = {
  ...DEFAULT_CHECK_RULES,
  advancePercent: 50,
  privateReviews: false,
};

export interface ScoringCriterion {
  code: string;
  label: string;
  weight: number;
}

/** The default grid, built on the protocol: fit with its stakes, effect on the QPV, partnership, priorities, budget. */
export const DEFAULT_SCORING_GRID: ScoringCriterion[] = [
  { code: 'STAKE_FIT', label: 'Adéquation aux enjeux et mesures du contrat de ville', weight: 3 },
  { code: 'QPV_IMPACT', label: 'Impact pour les habitants des quartiers prioritaires', weight: 3 },
  { code: 'PARTNERSHIP', label: 'Partenariat et cofinancements mobilisés', weight: 2 },
  {
    code: 'TRANSVERSAL_PRIORITIES',
    label: 'Prise en compte des priorités transversales (égalité, jeunesse, discriminations)',
    weight: 2,
  },
  { code: 'BUDGET_REALISM', label: 'Réalisme du budget et capacité du porteur', weight: 2 },
];

export interface Calendar {
  opensAt: Date;
  submissionDeadline: Date;
  reviewDeadline: Date;
  cotechDate: string;
  copilDate: string;
  reportDeadline: Date;
}

/** The calendar must run in order: opening, submission deadline, review deadline, COTECH, COPIL, report. */
export function assertCalendarInOrder(calendar: Calendar): void {
  const broken: ErrorDetail[] = [];
  const order = (ok: boolean, field: string, message: string) => {
    if (!ok) broken.push({ field, code: 'CALENDAR_OUT_OF_ORDER', message });
  };
  order(
    calendar.opensAt < calendar.submissionDeadline,
    'submissionDeadline',
    'La date limite de dépôt doit suivre l’ouverture.',
  );
  order(
    calendar.submissionDeadline <= calendar.reviewDeadline,
    'reviewDeadline',
    'La date limite d’instruction doit suivre la date limite de dépôt.',
  );
  order(
    parisDate(calendar.reviewDeadline) <= calendar.cotechDate,
    'cotechDate',
    'Le COTECH doit suivre la date limite d’instruction.',
  );
  order(calendar.cotechDate <= calendar.copilDate, 'copilDate', 'Le COPIL doit suivre le COTECH.');
  order(
    calendar.copilDate < parisDate(calendar.reportDeadline),
    'reportDeadline',
    'La date limite des bilans doit suivre le COPIL.',
  );
  if (broken.length > 0) {
    throw new ApplicationError(
      'UNPROCESSABLE',
      'CALENDAR_OUT_OF_ORDER',
      'Le calendrier de l’appel à projets n’est pas dans l’ordre.',
      broken,
    );
  }
}

export function assertScoringGrid(grid: ScoringCriterion[]): void {
  const codes = grid.map((criterion) => criterion.code);
  const duplicates = codes.filter((code, index) => codes.indexOf(code) !== index);
  if (duplicates.length > 0) {
    throw new ApplicationError(
      'UNPROCESSABLE',
      'DUPLICATE_CRITERION',
      `Critères en double : ${[...new Set(duplicates)].join(', ')}.`,
      [
        {
          field: 'scoringGrid',
          code: 'DUPLICATE_CRITERION',
          message: `Critères en double : ${[...new Set(duplicates)].join(', ')}.`,
        },
      ],
    );
  }
}
