export const DAY = 24 * 3600 * 1000;

/** Which reminder windows are open at an instant, for a campaign's deadlines. Pure. */
export function reminderWindows(
  campaign: { status: string; submissionDeadline: Date; reviewDeadline: Date; reportDeadline: Date },
  at: Date,
): { draftStage?: 'J-7' | 'J-2'; reviews: boolean; reports?: 'DUE' | 'OVERDUE' } {
  const t = at.getTime();
  const submission = campaign.submissionDeadline.getTime();
  const review = campaign.reviewDeadline.getTime();
  const report = campaign.reportDeadline.getTime();
  return {
    draftStage:
      campaign.status === 'OPEN' && t < submission && t >= submission - 7 * DAY
        ? t >= submission - 2 * DAY
          ? 'J-2'
          : 'J-7'
        : undefined,
    reviews: campaign.status === 'REVIEW' && t < review && t >= review - 3 * DAY,
    reports:
      campaign.status === 'PROGRAMMED'
        ? t >= report
          ? 'OVERDUE'
          : t >= report - 30 * DAY
            ? 'DUE'
            : undefined
        : undefined,
  };
}
