/** The error codes the accounts module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const ACCOUNT_ERROR_CODES = [
  'CANNOT_DISABLE_ONESELF',
  'CURRENT_PASSWORD_INVALID',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'MEMBERSHIP_PENDING',
  'ORGANIZATION_SUSPENDED',
  'ORGANIZATION_ALREADY_REGISTERED',
  'PARTNER_NOT_ALLOWED',
  'PARTNER_REQUIRED',
  'PASSWORD_CHANGE_REQUIRED',
  'PASSWORD_TOO_COMMON',
  'PASSWORD_TOO_SHORT',
  'SIRET_OR_RNA_REQUIRED',
  'UNKNOWN_PARTNER',
] as const;

export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<AccountErrorCode, true> {}
}
