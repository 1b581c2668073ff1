/** The error codes the reports module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const REPORT_ERROR_CODES = [
  'APPLICATION_NOT_FUNDED',
  'REPORT_CHECKS_FAILED',
  'REPORT_SUBMITTED',
  'BENEFICIARIES_BY_QPV_INVALID',
  'ACTUAL_DATES_OUT_OF_ORDER',
] as const;

export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<ReportErrorCode, true> {}
}
