import { runChecks, type CheckInput, type CheckResult } from '../checks/checks.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';

/** What the check rules read around an application besides its own fields. */
export interface CheckFacts {
  year: number;
  rules: Partial<CampaignRules>;
  themeCode: string;
  qpvCodes: string[];
  attachmentKinds: string[];
  financerCodes: string[];
  /** The contract's partners' names by code. */
  partnerNames: Record<string, string>;
}

/** The application's own fields the check rules read. */
export type CheckedFields = Pick<
  CheckInput,
  | 'stakeId'
  | 'title'
  | 'summary'
  | 'objectives'
  | 'description'
  | 'location'
  | 'startDate'
  | 'endDate'
  | 'beneficiaries'
  | 'priorities'
  | 'budget'
  | 'indicators'
>;

/** The checks of an application, from its fields and what its campaign's rules read around it. */
export function checksFrom(app: CheckedFields, facts: CheckFacts): CheckResult[] {
  return runChecks(
    {
      themeCode: facts.themeCode,
      stakeId: app.stakeId,
      title: app.title,
      summary: app.summary,
      objectives: app.objectives,
      description: app.description,
      location: app.location,
      startDate: app.startDate,
      endDate: app.endDate,
      qpvCodes: facts.qpvCodes,
      beneficiaries: app.beneficiaries,
      priorities: app.priorities,
      budget: app.budget,
      indicators: app.indicators,
      campaignFinancerCodes: facts.financerCodes,
      partnerNames: facts.partnerNames,
      attachmentKinds: facts.attachmentKinds,
      campaignYear: facts.year,
    },
    { ...DEFAULT_CAMPAIGN_RULES, ...facts.rules },
  );
}
