import { ApplicationError } from '../../common/application-error.js';
import { deadlineInstant, openingInstant } from '../../common/paris-time.js';
import { assertCalendarInOrder, assertScoringGrid, DEFAULT_SCORING_GRID } from './campaign-rules.js';
import { assertTransition } from '../../common/state-machine.js';
import { CAMPAIGN_TRANSITIONS } from './campaign-status.js';

const calendar = () => ({
  opensAt: openingInstant('2026-12-01'),
  submissionDeadline: deadlineInstant('2027-01-31'),
  reviewDeadline: deadlineInstant('2027-02-28'),
  cotechDate: '2027-03-10',
  copilDate: '2027-03-24',
  reportDeadline: deadlineInstant('2028-06-30'),
});

describe('campaign calendar', () => {
  it('accepts a calendar in order', () => {
    expect(() => assertCalendarInOrder(calendar())).not.toThrow();
  });

  it('names every date out of order', () => {
    const broken = { ...calendar(), copilDate: '2027-03-01', cotechDate: '2027-02-01' };
    let caught: ApplicationError | undefined;
    try {
      assertCalendarInOrder(broken);
    } catch (error) {
      caught = error as ApplicationError;
    }
    expect(caught?.status).toBe(422);
    expect(caught?.details.map((detail) => detail.field)).toEqual(['cotechDate']);
    const copilBeforeCotech = { ...calendar(), copilDate: '2027-03-09' };
    expect(() => assertCalendarInOrder(copilBeforeCotech)).toThrow(ApplicationError);
  });

  it('allows COTECH on the day the review closes, in Paris time', () => {
    expect(() => assertCalendarInOrder({ ...calendar(), cotechDate: '2027-02-28' })).not.toThrow();
  });
});

describe('scoring grid', () => {
  it('has unique codes by default and refuses duplicates', () => {
    expect(() => assertScoringGrid(DEFAULT_SCORING_GRID)).not.toThrow();
    expect(() => assertScoringGrid([...DEFAULT_SCORING_GRID, DEFAULT_SCORING_GRID[0]])).toThrow(
      ApplicationError,
    );
  });
});

describe('campaign lifecycle', () => {
  it('goes DRAFT → OPEN → REVIEW → PROGRAMMED and nowhere else', () => {
    expect(() => assertTransition(CAMPAIGN_TRANSITIONS, 'DRAFT', 'OPEN', 'Campagne')).not.toThrow();
    expect(() => assertTransition(CAMPAIGN_TRANSITIONS, 'OPEN', 'REVIEW', 'Campagne')).not.toThrow();
    expect(() => assertTransition(CAMPAIGN_TRANSITIONS, 'REVIEW', 'PROGRAMMED', 'Campagne')).not.toThrow();
    for (const [from, to] of [
      ['DRAFT', 'REVIEW'],
      ['OPEN', 'PROGRAMMED'],
      ['PROGRAMMED', 'OPEN'],
      ['REVIEW', 'OPEN'],
    ] as const) {
      expect(() => assertTransition(CAMPAIGN_TRANSITIONS, from, to, 'Campagne')).toThrow(ApplicationError);
    }
  });
});
