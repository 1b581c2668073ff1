/** The error codes the conventions module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const CONVENTION_ERROR_CODES = ['CONVENTION_NOT_AVAILABLE', 'CONVENTION_NOT_READY'] as const;

export type ConventionErrorCode = (typeof CONVENTION_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<ConventionErrorCode, true> {}
}
