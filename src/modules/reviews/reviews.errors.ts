/** The error codes the reviews module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const REVIEW_ERROR_CODES = [
  'APPLICATION_NOT_UNDER_REVIEW',
  'INVALID_SCORE',
  'OPINION_REQUIRED',
  'PROPOSAL_ABOVE_REQUEST',
  'PROPOSAL_REQUIRED',
  'REVIEW_CLOSED',
  'REVIEW_NOT_OPEN',
  'REVIEW_VERSION_CONFLICT',
  'SCORES_INCOMPLETE',
  'UNKNOWN_CRITERION',
] as const;

export type ReviewErrorCode = (typeof REVIEW_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<ReviewErrorCode, true> {}
}
