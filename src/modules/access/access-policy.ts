import type { Role } from '../../common/auth.js';

/**
 * Who may do what, in one table: role × action × relation to the object. Everything that decides access
 * reads it: `AccessService.require` for one object, the list and export filters (`accessCondition` in
 * `access.repository.ts` turns the same conditions into SQL), and the hot one-statement paths (the
 * application view, the submission, the upload) that read the relations with their data and ask `authorize`.
 */
export const ACTIONS = [
  /** The dossier: view, checks, documents, reviews, decisions. */
  'application:read',
  /** What only the holder does: edit, upload, submit, withdraw, renew, file the report. */
  'application:edit',
  /** What the city team does on a dossier: return, eligibility, COPIL decisions, convention. */
  'application:instruct',
  /** Write the review of the partner named in the path. */
  'application:review',
  /** Declare a conflict of interest on a dossier one reviews. */
  'application:declare-conflict',
  /** What follows a grant: convention and report. */
  'application:read-funded',
  /**
   * An application's line in a closed programming (the contract's shared document): its amounts asked and
   * decided, never its reviews unless the reader may read the application itself.
   */
  'application:read-decisions',
  /** A campaign, its envelopes, programming and reminders as each role sees them. */
  'campaign:read',
  /** Configure and run a campaign. */
  'campaign:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The object an action is about: the relations `AccessService` loads for it. */
export const objectOf = (action: Action): 'application' | 'campaign' =>
  action.startsWith('application:') ? 'application' : 'campaign';

/** The user's relations to an application, as one query (or the view's statement) reads them. */
export interface ApplicationRelations {
  /** Held by the user's organisation. */
  owner: boolean;
  /** In the user's contrat de ville. */
  sameContract: boolean;
  /** Submitted at least once (drafts are the holder's alone). */
  submitted: boolean;
  /** Asks the user's partner for money. */
  asked: boolean;
  /** The user's partner granted it money. */
  granting: boolean;
  /** The user declared a conflict of interest on it. */
  conflicted: boolean;
}

/**
 * The relations a row of `grant_applications` gives by itself (owner, same contract, submitted), for a
 * caller that holds the row already (locked for a write): no second read to ask the policy.
 */
export function rowRelations(
  user: { organizationId: string | null; contractId: string | null },
  row: { organizationId: string; contractId: string; submittedAt: Date | null },
): Relations {
  return {
    owner: row.organizationId === user.organizationId,
    sameContract: row.contractId === user.contractId,
    submitted: row.submittedAt !== null,
  };
}

/** The user's relations to a campaign. */
export interface CampaignRelations {
  sameContract: boolean;
  /** Still a draft: only its city team knows it exists. */
  draft: boolean;
}

/** What the request itself says about the caller, before any object is read. */
export interface CallerFacts {
  /** The partner named in the path is the user's own (a review). */
  ownPartner?: boolean;
}

export type Relations = Partial<ApplicationRelations & CampaignRelations>;

/** A condition on the relations; `notConflicted` and `notDraft` are the negations. */
export type Condition =
  'owner' | 'sameContract' | 'submitted' | 'asked' | 'granting' | 'notConflicted' | 'notDraft' | 'ownPartner';

export interface Rule {
  /** About the caller and the request (path), checked first: 403 when one fails. */
  caller?: Condition[];
  /** Needed to know the object exists: 404 when one fails. */
  see: Condition[];
  /** Needed to act once seen: 403 (with the failed condition's code) when one fails. */
  act?: Condition[];
}

const FINANCER_READS: Rule = { see: ['sameContract', 'submitted', 'asked'], act: ['notConflicted'] };

/** The table. A role without a rule for an action may not do it: 403 if it may read the object, else 404. */
export const POLICY: Record<Role, Partial<Record<Action, Rule>>> = {
  ASSOCIATION: {
    'application:read': { see: ['owner'] },
    'application:edit': { see: ['owner'] },
    'application:read-funded': { see: ['owner'] },
    'campaign:read': { see: ['notDraft'] },
  },
  FINANCER: {
    'application:read': FINANCER_READS,
    'application:review': { caller: ['ownPartner'], ...FINANCER_READS },
    'application:declare-conflict': { see: ['sameContract', 'submitted', 'asked'] },
    'application:read-funded': { see: ['sameContract', 'granting'] },
    'application:read-decisions': { see: ['sameContract', 'submitted'], act: ['notConflicted'] },
    'campaign:read': { see: ['sameContract', 'notDraft'] },
  },
  CITY_TEAM: {
    'application:read': { see: ['sameContract'] },
    'application:instruct': { see: ['sameContract'] },
    'application:read-funded': { see: ['sameContract'] },
    'application:read-decisions': { see: ['sameContract'] },
    'campaign:read': { see: ['sameContract'] },
    'campaign:manage': { see: ['sameContract'] },
  },
  // The national agency reads sums across contracts and no contract's objects.
  NATIONAL: {},
};

export type Verdict =
  | { allowed: true }
  | { allowed: false; error: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT_OF_INTEREST' | 'OTHER_PARTNER' };

const holds = (condition: Condition, relations: Relations & CallerFacts): boolean => {
  switch (condition) {
    case 'notConflicted':
      return relations.conflicted !== true;
    case 'notDraft':
      return relations.draft !== true;
    default:
      return relations[condition] === true;
  }
};

const refusal = (condition: Condition): Verdict => ({
  allowed: false,
  error:
    condition === 'notConflicted'
      ? 'CONFLICT_OF_INTEREST'
      : condition === 'ownPartner'
        ? 'OTHER_PARTNER'
        : 'FORBIDDEN',
});

/** The answer of the table for a user of `role` doing `action` on an object it has these relations to. */
export function authorize(
  role: Role,
  action: Action,
  relations: Relations | undefined,
  caller: CallerFacts = {},
): Verdict {
  const rule = POLICY[role][action];
  if (!rule) {
    // Forbidden to do, but may it know the object? Then 403, else 404.
    const read = objectOf(action) === 'application' ? 'application:read' : 'campaign:read';
    const readable = relations && POLICY[role][read]?.see.every((c) => holds(c, relations));
    return { allowed: false, error: readable ? 'FORBIDDEN' : 'NOT_FOUND' };
  }
  const failedCaller = rule.caller?.find((c) => !holds(c, caller));
  if (failedCaller) return refusal(failedCaller);
  if (!relations || !rule.see.every((c) => holds(c, relations)))
    return { allowed: false, error: 'NOT_FOUND' };
  const failedAct = rule.act?.find((c) => !holds(c, relations));
  return failedAct ? refusal(failedAct) : { allowed: true };
}

/**
 * The conditions a list or an export of objects is filtered on for `action`: what the user may see and act
 * on (null: nothing). A declared conflict of interest thus takes an application out of every list, queue
 * and export of that reviewer, as it forbids reading it.
 */
export function listConditions(role: Role, action: Action): Condition[] | null {
  const rule = POLICY[role][action];
  return rule ? [...rule.see, ...(rule.act ?? [])] : null;
}

/**
 * Whether a reader may see one review of an application it may read: the city team every review; a financer
 * its own partner's (drafts included) and the other co-financers' final reviews, unless the campaign keeps
 * reviews private to each financer until the programming is closed.
 */
export function reviewVisible(
  role: Role,
  review: { ownPartner: boolean; final: boolean },
  campaign: { privateReviews: boolean; programmed: boolean },
): boolean {
  if (role === 'CITY_TEAM') return true;
  if (role !== 'FINANCER') return false;
  if (review.ownPartner) return true;
  return review.final && (!campaign.privateReviews || campaign.programmed);
}
