import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long, uncommon password or phrase', () => {
    expect(passwordProblem('Les jardins de Nocaze 2027')).toBeUndefined();
    expect(passwordProblem('mot-de-passe-solide-42')).toBeUndefined();
  });

  it('refuses what is short, all one character, or among the most common passwords', () => {
    expect(passwordProblem('court-2027')).toBe('PASSWORD_TOO_SHORT');
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('AAAAaaaaAAAAaaaa')).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('1qaz2wsx3edc')).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('QWERTY123456')).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('123456789012')).toBe('PASSWORD_TOO_COMMON');
  });
});
