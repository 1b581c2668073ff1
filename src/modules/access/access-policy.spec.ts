import {
  ACTIONS,
  authorize,
  listConditions,
  POLICY,
  reviewVisible,
  rowRelations,
  type ApplicationRelations,
} from './access-policy.js';

const none: ApplicationRelations = {
  owner: false,
  sameContract: false,
  submitted: false,
  asked: false,
  granting: false,
  conflicted: false,
};
const app = (relations: Partial<ApplicationRelations>): ApplicationRelations => ({ ...none, ...relations });
const allowed = { allowed: true };
const refused = (error: string) => ({ allowed: false, error });

describe('access policy', () => {
  it('lets an association read and edit only what its organisation holds', () => {
    expect(authorize('ASSOCIATION', 'application:read', app({ owner: true }))).toEqual(allowed);
    expect(authorize('ASSOCIATION', 'application:edit', app({ owner: true }))).toEqual(allowed);
    expect(
      authorize('ASSOCIATION', 'application:read', app({ sameContract: true, submitted: true })),
    ).toEqual(refused('NOT_FOUND'));
    expect(authorize('ASSOCIATION', 'application:edit', app({ sameContract: true }))).toEqual(
      refused('NOT_FOUND'),
    );
  });

  it('answers 403, not 404, to a reader who may see the object but not do the action', () => {
    expect(authorize('ASSOCIATION', 'application:instruct', app({ owner: true }))).toEqual(
      refused('FORBIDDEN'),
    );
    expect(authorize('CITY_TEAM', 'application:edit', app({ sameContract: true }))).toEqual(
      refused('FORBIDDEN'),
    );
    expect(authorize('CITY_TEAM', 'application:edit', app({}))).toEqual(refused('NOT_FOUND'));
  });

  it('shows a financer only the submitted applications that ask its partner, in its contract', () => {
    const asked = app({ sameContract: true, submitted: true, asked: true });
    expect(authorize('FINANCER', 'application:read', asked)).toEqual(allowed);
    expect(authorize('FINANCER', 'application:read', { ...asked, submitted: false })).toEqual(
      refused('NOT_FOUND'),
    );
    expect(authorize('FINANCER', 'application:read', { ...asked, asked: false })).toEqual(
      refused('NOT_FOUND'),
    );
    expect(authorize('FINANCER', 'application:read', { ...asked, sameContract: false })).toEqual(
      refused('NOT_FOUND'),
    );
  });

  it('stops a financer who declared a conflict of interest with 403, but lets it declare one', () => {
    const conflicted = app({ sameContract: true, submitted: true, asked: true, conflicted: true });
    expect(authorize('FINANCER', 'application:read', conflicted)).toEqual(refused('CONFLICT_OF_INTEREST'));
    expect(authorize('FINANCER', 'application:review', conflicted, { ownPartner: true })).toEqual(
      refused('CONFLICT_OF_INTEREST'),
    );
    expect(authorize('FINANCER', 'application:declare-conflict', conflicted)).toEqual(allowed);
  });

  it('refuses a review for another partner before looking at the application', () => {
    expect(authorize('FINANCER', 'application:review', undefined, { ownPartner: false })).toEqual(
      refused('OTHER_PARTNER'),
    );
    expect(authorize('FINANCER', 'application:review', undefined, { ownPartner: true })).toEqual(
      refused('NOT_FOUND'),
    );
    const asked = app({ sameContract: true, submitted: true, asked: true });
    expect(authorize('FINANCER', 'application:review', asked, { ownPartner: true })).toEqual(allowed);
  });

  it('lets only the granting financers read what follows a grant', () => {
    const asked = app({ sameContract: true, submitted: true, asked: true });
    expect(authorize('FINANCER', 'application:read-funded', asked)).toEqual(refused('NOT_FOUND'));
    expect(authorize('FINANCER', 'application:read-funded', { ...asked, granting: true })).toEqual(allowed);
    expect(authorize('ASSOCIATION', 'application:read-funded', app({ owner: true }))).toEqual(allowed);
    expect(authorize('CITY_TEAM', 'application:read-funded', app({ sameContract: true }))).toEqual(allowed);
  });

  it('hides a draft campaign from everyone but its city team', () => {
    const draft = { sameContract: true, draft: true };
    expect(authorize('CITY_TEAM', 'campaign:read', draft)).toEqual(allowed);
    expect(authorize('FINANCER', 'campaign:read', draft)).toEqual(refused('NOT_FOUND'));
    expect(authorize('ASSOCIATION', 'campaign:read', draft)).toEqual(refused('NOT_FOUND'));
    expect(authorize('ASSOCIATION', 'campaign:read', { sameContract: false, draft: false })).toEqual(allowed);
    expect(authorize('FINANCER', 'campaign:read', { sameContract: false, draft: false })).toEqual(
      refused('NOT_FOUND'),
    );
    expect(authorize('CITY_TEAM', 'campaign:manage', { sameContract: false, draft: false })).toEqual(
      refused('NOT_FOUND'),
    );
    expect(authorize('FINANCER', 'campaign:manage', { sameContract: true, draft: false })).toEqual(
      refused('FORBIDDEN'),
    );
  });

  it('gives the national agency no contract object and no list', () => {
    for (const action of ACTIONS) {
      expect(authorize('NATIONAL', action, app({ owner: true, sameContract: true }))).toEqual(
        refused('NOT_FOUND'),
      );
      expect(listConditions('NATIONAL', action)).toBeNull();
    }
  });

  it('filters lists on exactly the conditions that make an object visible', () => {
    expect(listConditions('FINANCER', 'application:read')).toEqual([
      'sameContract',
      'submitted',
      'asked',
      'notConflicted',
    ]);
    expect(listConditions('FINANCER', 'application:read-decisions')).toEqual([
      'sameContract',
      'submitted',
      'notConflicted',
    ]);
    expect(listConditions('ASSOCIATION', 'application:read')).toEqual(['owner']);
    expect(listConditions('CITY_TEAM', 'application:read')).toEqual(['sameContract']);
  });

  it('shows a financer every line of a closed programming, but not one it declared a conflict on', () => {
    const other = app({ sameContract: true, submitted: true });
    expect(authorize('FINANCER', 'application:read-decisions', other)).toEqual(allowed);
    expect(authorize('FINANCER', 'application:read', other)).toEqual(refused('NOT_FOUND'));
    expect(authorize('FINANCER', 'application:read-decisions', { ...other, conflicted: true })).toEqual(
      refused('CONFLICT_OF_INTEREST'),
    );
    expect(authorize('FINANCER', 'application:read-decisions', { ...other, sameContract: false })).toEqual(
      refused('NOT_FOUND'),
    );
  });

  it('names only known actions in the table', () => {
    for (const rules of Object.values(POLICY))
      for (const action of Object.keys(rules)) expect(ACTIONS).toContain(action);
  });

  it('shares the co-financers’ final reviews, unless the campaign keeps them private until the closing', () => {
    const shared = { privateReviews: false, programmed: false };
    const kept = { privateReviews: true, programmed: false };
    expect(reviewVisible('FINANCER', { ownPartner: false, final: true }, shared)).toBe(true);
    expect(reviewVisible('FINANCER', { ownPartner: false, final: false }, shared)).toBe(false);
    expect(reviewVisible('FINANCER', { ownPartner: true, final: false }, kept)).toBe(true);
    expect(reviewVisible('FINANCER', { ownPartner: false, final: true }, kept)).toBe(false);
    expect(reviewVisible('FINANCER', { ownPartner: false, final: true }, { ...kept, programmed: true })).toBe(
      true,
    );
    expect(reviewVisible('CITY_TEAM', { ownPartner: false, final: false }, kept)).toBe(true);
    expect(reviewVisible('ASSOCIATION', { ownPartner: false, final: true }, shared)).toBe(false);
  });

  it('reads owner, contract and submission from a row held already', () => {
    const row = { organizationId: 'org', contractId: 'contract', submittedAt: null };
    expect(rowRelations({ organizationId: 'org', contractId: null }, row)).toEqual({
      owner: true,
      sameContract: false,
      submitted: false,
    });
    const relations = rowRelations({ organizationId: null, contractId: 'contract' }, row);
    expect(authorize('CITY_TEAM', 'application:instruct', relations)).toEqual(allowed);
    expect(authorize('ASSOCIATION', 'application:edit', relations)).toEqual(refused('NOT_FOUND'));
  });
});
