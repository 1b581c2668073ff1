import type { TransitionTable } from '../../common/state-machine.js';

export const CAMPAIGN_STATUSES = ['DRAFT', 'OPEN', 'REVIEW', 'PROGRAMMED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** DRAFT → OPEN (submissions) → REVIEW (instruction, COTECH, COPIL) → PROGRAMMED (decisions frozen). */
export const CAMPAIGN_TRANSITIONS: TransitionTable<CampaignStatus> = {
  DRAFT: ['OPEN'],
  OPEN: ['REVIEW'],
  REVIEW: ['PROGRAMMED'],
  PROGRAMMED: [],
};

/** What the pages call each status. */
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  DRAFT: 'En préparation',
  OPEN: 'Ouvert aux dépôts',
  REVIEW: 'En instruction',
  PROGRAMMED: 'Programmé',
};
