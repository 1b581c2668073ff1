import type { TransitionTable } from '../../common/state-machine.js';

export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'RETURNED',
  'ELIGIBLE',
  'INELIGIBLE',
  'WITHDRAWN',
  'PROGRAMMED',
  'REJECTED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * DRAFT → SUBMITTED ⇄ RETURNED; SUBMITTED → ELIGIBLE | INELIGIBLE; ELIGIBLE → PROGRAMMED ⇄ REJECTED (COPIL).
 * The holder may withdraw until decisions are taken.
 */
export const APPLICATION_TRANSITIONS: TransitionTable<ApplicationStatus> = {
  DRAFT: ['SUBMITTED', 'WITHDRAWN'],
  SUBMITTED: ['RETURNED', 'ELIGIBLE', 'INELIGIBLE', 'WITHDRAWN'],
  RETURNED: ['SUBMITTED', 'WITHDRAWN'],
  ELIGIBLE: ['PROGRAMMED', 'REJECTED', 'WITHDRAWN'],
  INELIGIBLE: [],
  WITHDRAWN: [],
  // A COPIL decision may be changed until the programming is closed.
  PROGRAMMED: ['REJECTED'],
  REJECTED: ['PROGRAMMED'],
};

/** Each status as the holder and the city team read it. */
export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  DRAFT: 'Brouillon',
  SUBMITTED: 'Déposé',
  RETURNED: 'À corriger',
  ELIGIBLE: 'Éligible',
  INELIGIBLE: 'Non éligible',
  WITHDRAWN: 'Retiré',
  PROGRAMMED: 'Programmé',
  REJECTED: 'Non retenu',
};

/** Statuses the COPIL decides on. */
export const DECIDABLE_STATUSES: readonly ApplicationStatus[] = ['ELIGIBLE', 'PROGRAMMED', 'REJECTED'];

/** Statuses in which the holder may still edit the application. */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'RETURNED'];

export function formatReference(year: number, themeCode: string, number: number): string {
  return `${year}-${themeCode}-${String(number).padStart(4, '0')}`;
}
