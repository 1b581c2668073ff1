/** The error codes the attachments module throws, registered with the shared `ErrorCode` (a code nobody registered does not compile). */
export const ATTACHMENT_ERROR_CODES = [
  'APPLICATION_LOCKED',
  'EMPTY_FILE',
  'FILE_EXTENSION_MISMATCH',
  'FILE_REQUIRED',
  'INVALID_ATTACHMENT_KIND',
  'UNSUPPORTED_FILE_TYPE',
] as const;

export type AttachmentErrorCode = (typeof ATTACHMENT_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<AttachmentErrorCode, true> {}
}
