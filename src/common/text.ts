/** Bidirectional controls: they reorder what is displayed (« facture\u202Efdp.exe » reads « facture.exe.pdf »). */
export const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;

/** Characters that show nothing: bidirectional controls, zero-width spaces and joiners, word joiner, BOM. */
export const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/g;

/**
 * How free text is stored: NFC (one code point per accented letter, whatever the keyboard sent, so that
 * « é » typed two ways compares equal and exports the same) and without bidirectional controls.
 */
export function cleanText(value: string): string {
  const normalised = value.normalize('NFC');
  BIDI_CONTROLS.lastIndex = 0;
  return BIDI_CONTROLS.test(normalised) ? normalised.replace(BIDI_CONTROLS, '') : normalised;
}
