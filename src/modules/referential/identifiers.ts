/**
 * French legal identifiers of project holders. Rules from INSEE (validinsee) and Data.Subvention:
 * see shared/reference/data/NOTES_regles_validation.md.
 */

/** Luhn sum of a string of digits: double every second digit from the right, minus 9 above 9. */
export function luhnSum(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

const LA_POSTE_SIREN = '356000000';

export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnSum(value) % 10 === 0;
}

/**
 * A SIRET is valid when its Luhn sum and its SIREN's are multiples of 10; La Poste's establishments,
 * too many for the key, are valid when the plain sum of their 14 digits is a multiple of 5.
 */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (luhnSum(value) % 10 === 0 && isValidSiren(value.slice(0, 9))) return true;
  if (value.startsWith(LA_POSTE_SIREN)) {
    const plainSum = [...value].reduce((sum, char) => sum + Number(char), 0);
    return plainSum % 5 === 0;
  }
  return false;
}

/** RNA number: W followed by nine characters, the second of which may be a letter (Corsica). */
export function isValidRna(value: string): boolean {
  return /^W\d[A-Z\d]\d{7}$/.test(value);
}

/** Removes the spaces and dots people type inside identifiers ("123 456 789 00012"). */
export function normaliseIdentifier(value: string): string {
  return value.replace(/[\s.\u00a0\u202f-]/g, '').toUpperCase();
}
