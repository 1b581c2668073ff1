import type { ApplicationDto, CheckResultDto } from '../modules/applications/dto/application.dto.js';

/** The sections of an application's task list (web.md), in order, with their page's path under the dossier. */
export const SECTIONS = [
  { key: 'porteur', title: 'Porteur du projet' },
  { key: 'projet', title: 'Le projet' },
  { key: 'publics', title: 'Publics et quartiers' },
  { key: 'budget', title: 'Budget' },
  { key: 'pieces', title: 'Pièces jointes' },
  { key: 'priorites', title: 'Priorités transversales' },
] as const;
export type SectionKey = (typeof SECTIONS)[number]['key'];

export type TaskState = 'TODO' | 'IN_PROGRESS' | 'DONE';
export const TASK_STATE_TEXT: Record<TaskState | 'CANNOT_START', string> = {
  TODO: 'À compléter',
  IN_PROGRESS: 'En cours',
  DONE: 'Terminé',
  CANNOT_START: 'Pas encore possible',
};

/** Which check rules speak of which section (COMPLETENESS is split by field below). */
const RULES_OF: Record<SectionKey, readonly string[]> = {
  porteur: [],
  projet: ['ACTION_DATES', 'INDICATORS'],
  publics: ['QPV_TARGET', 'BENEFICIARIES', 'QPV_SHARE', 'GENDER_BREAKDOWN'],
  budget: ['BUDGET_BALANCED', 'FINANCER_REQUESTED', 'FINANCERS_OF_CAMPAIGN', 'SINGLE_FINANCER_SHARE'],
  pieces: ['REQUIRED_DOCUMENTS'],
  priorites: [
    'GENDER_MARKER',
    'GENDER_EQUALITY_STATEMENT',
    'ANTI_DISCRIMINATION_STATEMENT',
    'YOUTH_STATEMENT',
  ],
};

const blank = (value: string | null | undefined): boolean => !value || value.trim() === '';

type Dossier = Pick<
  ApplicationDto,
  | 'title'
  | 'summary'
  | 'objectives'
  | 'description'
  | 'stakeId'
  | 'location'
  | 'startDate'
  | 'endDate'
  | 'indicators'
  | 'beneficiaries'
  | 'qpvCodes'
  | 'budget'
  | 'attachments'
  | 'priorities'
  | 'holder'
>;

/** What of a section is filled: nothing (TODO), something, or everything its own fields need. */
function filled(section: SectionKey, dossier: Dossier): 'NONE' | 'SOME' | 'ALL' {
  const parts: boolean[] = (() => {
    switch (section) {
      case 'porteur':
        return [
          !blank(dossier.holder.name),
          !blank(dossier.holder.address),
          !blank(dossier.holder.legalRepresentative),
          Boolean(dossier.holder.siret || dossier.holder.rna),
        ];
      case 'projet':
        return [
          !blank(dossier.summary),
          !blank(dossier.objectives),
          !blank(dossier.description),
          Boolean(dossier.stakeId),
          !blank(dossier.location),
          Boolean(dossier.startDate && dossier.endDate),
          dossier.indicators.length > 0,
        ];
      case 'publics':
        return [dossier.beneficiaries !== null, dossier.qpvCodes.length > 0];
      case 'budget':
        return [Boolean(dossier.budget && (dossier.budget.charges.length || dossier.budget.products.length))];
      case 'pieces':
        return [dossier.attachments.length > 0];
      case 'priorites':
        return [dossier.priorities !== null];
    }
  })();
  if (parts.every(Boolean)) return 'ALL';
  return parts.some(Boolean) ? 'SOME' : 'NONE';
}

/**
 * A section's state as the task list shows it: « À compléter » while nothing of it is given, « Terminé » when
 * its fields are all given and no blocking check of it fails (warnings do not hold it back), « En cours »
 * otherwise. The checks are the API's, so the list and the submission agree.
 */
export function sectionState(section: SectionKey, dossier: Dossier, checks: CheckResultDto[]): TaskState {
  const given = filled(section, dossier);
  if (given === 'NONE') return 'TODO';
  const failing = checks.some(
    (check) => check.status === 'FAIL' && check.blocking && RULES_OF[section].includes(check.rule),
  );
  return given === 'ALL' && !failing ? 'DONE' : 'IN_PROGRESS';
}

/** The checks of a section that fail or warn, for its page. */
export function checksOf(section: SectionKey, checks: CheckResultDto[]): CheckResultDto[] {
  return checks.filter((check) => check.status !== 'PASS' && RULES_OF[section].includes(check.rule));
}
