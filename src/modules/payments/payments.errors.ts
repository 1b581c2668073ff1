/** The error codes the payments module throws, registered with the shared `ErrorCode`. */
export const PAYMENT_ERROR_CODES = [
  'CONVENTION_NOT_READY',
  'CONVENTION_SIGNED',
  'CONVENTION_NOT_SIGNED',
  'UNKNOWN_PARTY',
  'SIGNATURE_ALREADY_RECORDED',
  'DATE_IN_FUTURE',
  'SIGNATURE_BEFORE_ISSUE',
  'PAYMENT_ALREADY_PAID',
  'REPORT_NOT_SUBMITTED',
  'SIGNED_COPY_NOT_PDF',
] as const;

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

declare module '../../common/application-error.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<PaymentErrorCode, true> {}
}
