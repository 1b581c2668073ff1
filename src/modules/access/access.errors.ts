/** The error codes the access module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const ACCESS_ERROR_CODES = ['CONFLICT_OF_INTEREST'] as const;

export type AccessErrorCode = (typeof ACCESS_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<AccessErrorCode, true> {}
}
