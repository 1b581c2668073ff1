/** The kinds of documents a dossier holds (the attachments module stores them). */
export const ATTACHMENT_KINDS = [
  'STATUTES',
  'BANK_DETAILS',
  'ACCOUNTS',
  'ACTIVITY_REPORT',
  /** The legal representative's delegation, when someone else signs the sworn statement. */
  'POWER_OF_ATTORNEY',
  'OTHER',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Documents that stay valid from one year to the next, carried over by a renewal. */
export const LASTING_KINDS: readonly AttachmentKind[] = ['STATUTES', 'BANK_DETAILS'];
