import sanitizeFilename from 'sanitize-filename';
import { fileTypeFromBuffer } from 'file-type';
import { unprocessable } from '../../common/application-error.js';
import { INVISIBLE } from '../../common/text.js';
import './attachments.errors.js'; // registers the codes thrown here

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Accepted types, as detected from the bytes (magic numbers), with the extensions a name may carry. */
const ACCEPTED: Record<string, { mime: string; extensions: string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
};

/** Keeps the last path segment of a name and drops control characters: "../../etc/passwd" → "passwd". */
export function cleanFilename(name: string): string {
  // NFC (a decomposed « é » composed), without the invisible and direction-changing characters that make
  // « facture\u202Efdp.exe » read as « facture.exe.pdf ».
  const visible = name.normalize('NFC').replace(INVISIBLE, '');
  const base = visible.split(/[\\/]/).pop() ?? '';
  // sanitize-filename: control and reserved characters out, reserved names (CON, ., ..), 255 bytes at most.
  const cleaned = sanitizeFilename(base).replace(/^\.+/, '').trim();
  return cleaned || 'document';
}

/**
 * Detects the type from the content and checks the name agrees with it: a PDF named .exe, or an
 * executable named .pdf, is refused (422 UNSUPPORTED_FILE_TYPE / FILE_EXTENSION_MISMATCH).
 */
export async function detectAttachmentType(
  content: Buffer,
  filename: string,
): Promise<{ mime: string; ext: string }> {
  if (content.length === 0) throw unprocessable('EMPTY_FILE', 'Le fichier est vide.', 'file');
  const detected = await fileTypeFromBuffer(content);
  const accepted = detected ? ACCEPTED[detected.ext] : undefined;
  if (!detected || !accepted) {
    throw unprocessable('UNSUPPORTED_FILE_TYPE', 'Formats acceptés : PDF, JPEG, PNG, ODT ou DOCX.', 'file');
  }
  const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
  if (!accepted.extensions.includes(extension)) {
    throw unprocessable(
      'FILE_EXTENSION_MISMATCH',
      `Le contenu du fichier est de type ${detected.ext.toUpperCase()} mais son nom se termine par « .${extension} ».`,
      'file',
    );
  }
  return { mime: accepted.mime, ext: detected.ext };
}
