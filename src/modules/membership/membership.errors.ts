/** The error codes the membership module throws, registered with the shared `ErrorCode`. */
export const MEMBERSHIP_ERROR_CODES = ['TOKEN_INVALID', 'ALREADY_MEMBER', 'JOIN_REQUEST_DECIDED'] as const;

export type MembershipErrorCode = (typeof MEMBERSHIP_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<MembershipErrorCode, true> {}
}
