import { confusables } from 'unicode-confusables';
import { INVISIBLE } from '../../common/text.js';

/** The scripts a letter is told apart by; a letter of none of them counts as its own. */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Cherokee',
  'Hebrew',
  'Arabic',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Thai',
  'Devanagari',
  'Tifinagh',
].map((name) => ({ name, pattern: new RegExp(`^\\p{Script=${name}}$`, 'u') }));

function scriptOf(letter: string): string {
  return SCRIPTS.find((script) => script.pattern.test(letter))?.name ?? 'Other';
}

/**
 * Why an e-mail address or a person's or organisation's name cannot be accepted, or undefined: characters
 * that show nothing (zero-width, bidirectional controls), or a word mixing scripts with a look-alike letter
 * (« pаypal » with a Cyrillic « а »), judged after NFKC (so full-width and other compatibility forms count as
 * what they look like) against Unicode's confusables (UTS #39, through unicode-confusables). A name written
 * wholly in one script (Оксана, Ελένη, Hélène) is accepted.
 */
export function identityTextProblem(value: string): string | undefined {
  INVISIBLE.lastIndex = 0;
  if (INVISIBLE.test(value) || /\p{Cc}/u.test(value))
    return 'Caractères invisibles ou de contrôle non acceptés.';
  const normalised = value.normalize('NFKC');
  for (const word of normalised.split(/[\s.@'’\-_+,()]+/u)) {
    const letters = [...word].filter((character) => /\p{L}/u.test(character));
    const scripts = new Set(letters.map(scriptOf));
    if (scripts.size < 2) continue;
    if (confusables(word).some((part) => part.similarTo !== undefined && scriptOf(part.point) !== 'Latin'))
      return 'Ce texte mêle des alphabets différents avec des lettres qui se ressemblent.';
  }
  return undefined;
}
