/** The error codes the applications module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const APPLICATION_ERROR_CODES = [
  'ALREADY_RENEWED',
  'APPLICATION_LOCKED',
  'APPLICATION_STATUS_CONFLICT',
  'APPLICATION_VERSION_CONFLICT',
  'CAMPAIGN_NOT_OPEN',
  'CERTIFICATION_REQUIRED',
  'CHECKS_FAILED',
  'CONTRACT_MISMATCH',
  'DATES_OUT_OF_ORDER',
  'DUPLICATE_FINANCER_LINE',
  'EMAIL_NOT_CONFIRMED',
  'FINANCER_ON_NON_SUBSIDY_LINE',
  'FUNDER_REQUIRED',
  'IN_KIND_UNBALANCED',
  'MEASURE_NOT_IN_STAKE',
  'POWER_OF_ATTORNEY_REQUIRED',
  'REASON_REQUIRED',
  'SIRET_REQUIRED',
  'STAKE_NOT_IN_THEME',
  'SUBMISSION_CLOSED',
  'PREVIOUS_REPORT_MISSING',
  'UNKNOWN_PARTNER',
  'UNKNOWN_QPV',
  'UNKNOWN_THEME',
] as const;

export type ApplicationErrorCode = (typeof APPLICATION_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<ApplicationErrorCode, true> {}
}
