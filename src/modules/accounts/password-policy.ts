import { dictionary } from '@zxcvbn-ts/language-common';
import { unprocessable } from '../../common/application-error.js';
import './accounts.errors.js'; // registers the codes thrown here

/** The 49,000 most common passwords of zxcvbn's list, shipped with the package: checked offline. */
const COMMON = new Set(
  (dictionary['passwords-common'] as string[]).map((password) => password.toLowerCase()),
);

export const MIN_PASSWORD_LENGTH = 12;

/** Why a password is refused (undefined: it is accepted); its length is checked by the DTOs too. */
export function passwordProblem(password: string): 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_COMMON' | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (new Set(password.toLowerCase()).size === 1) return 'PASSWORD_TOO_COMMON';
  if (COMMON.has(password.toLowerCase())) return 'PASSWORD_TOO_COMMON';
  return undefined;
}

/** Refuses with 422 a password that is too short, all one character, or among the most common ones. */
export function assertPasswordAcceptable(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem === 'PASSWORD_TOO_SHORT')
    throw unprocessable(
      problem,
      `Choisissez un mot de passe d’au moins ${MIN_PASSWORD_LENGTH} caractères.`,
      field,
    );
  if (problem)
    throw unprocessable(
      problem,
      'Ce mot de passe est trop courant ou trop simple : choisissez-en un autre, une phrase par exemple.',
      field,
    );
}
