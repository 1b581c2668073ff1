import { reminderWindows } from './reminder-windows.js';

const DAY = 24 * 3600 * 1000;
const deadline = new Date('2027-01-31T22:59:59Z');
const campaign = (status: string) => ({
  status,
  submissionDeadline: deadline,
  reviewDeadline: deadline,
  reportDeadline: deadline,
});
const before = (days: number) => new Date(deadline.getTime() - days * DAY);

describe('reminder windows', () => {
  it('reminds drafts from 7 days before the deadline, then again from 2 days before', () => {
    expect(reminderWindows(campaign('OPEN'), before(8)).draftStage).toBeUndefined();
    expect(reminderWindows(campaign('OPEN'), before(7)).draftStage).toBe('J-7');
    expect(reminderWindows(campaign('OPEN'), before(2.5)).draftStage).toBe('J-7');
    expect(reminderWindows(campaign('OPEN'), before(2)).draftStage).toBe('J-2');
    expect(reminderWindows(campaign('OPEN'), before(-0.1)).draftStage).toBeUndefined();
    expect(reminderWindows(campaign('REVIEW'), before(1)).draftStage).toBeUndefined();
  });

  it('reminds reviewers in the 3 days before the review deadline', () => {
    expect(reminderWindows(campaign('REVIEW'), before(4)).reviews).toBe(false);
    expect(reminderWindows(campaign('REVIEW'), before(3)).reviews).toBe(true);
    expect(reminderWindows(campaign('REVIEW'), before(-1)).reviews).toBe(false);
  });

  it('reminds reports 30 days before their deadline, and overdue ones after it', () => {
    expect(reminderWindows(campaign('PROGRAMMED'), before(31)).reports).toBeUndefined();
    expect(reminderWindows(campaign('PROGRAMMED'), before(30)).reports).toBe('DUE');
    expect(reminderWindows(campaign('PROGRAMMED'), before(-1)).reports).toBe('OVERDUE');
  });
});
