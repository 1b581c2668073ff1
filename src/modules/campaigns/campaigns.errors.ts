/** The error codes the campaigns module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const CAMPAIGN_ERROR_CODES = [
  'CALENDAR_OUT_OF_ORDER',
  'CAMPAIGN_STATUS_CONFLICT',
  'DUPLICATE_CRITERION',
  'DUPLICATE_ENVELOPE',
  'ENVELOPE_BELOW_ALLOCATED',
  'NO_CONTRACT',
  'UNDECIDED_APPLICATIONS',
  'UNKNOWN_PARTNER',
  'UNKNOWN_THEME',
] as const;

export type CampaignErrorCode = (typeof CAMPAIGN_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<CampaignErrorCode, true> {}
}
