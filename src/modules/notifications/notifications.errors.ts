/** The error codes the notifications module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const NOTIFICATION_ERROR_CODES = ['NOTIFICATION_PENDING'] as const;

export type NotificationErrorCode = (typeof NOTIFICATION_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<NotificationErrorCode, true> {}
}
