/** The error codes the programming module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const PROGRAMMING_ERROR_CODES = [
  'APPLICATION_NOT_DECIDABLE',
  'CAMPAIGN_NOT_PROGRAMMED',
  'CAMPAIGN_STATUS_CONFLICT',
  'DECISIONS_INCOMPLETE',
  'DUPLICATE_DECISION',
  'ENVELOPE_EXCEEDED',
  'GRANT_ABOVE_REQUEST',
  'PARTNER_NOT_REQUESTED',
  'PARTNER_SIRET_MISSING',
  'REASON_REQUIRED',
] as const;

export type ProgrammingErrorCode = (typeof PROGRAMMING_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<ProgrammingErrorCode, true> {}
}
