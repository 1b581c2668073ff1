import { registerDecorator, type ValidationArguments } from 'class-validator';
import { identityTextProblem } from '../identity-text.js';

/**
 * An e-mail address or a person's or organisation's name: no invisible characters, no word mixing scripts with
 * look-alike letters (`identityTextProblem`). Error code IDENTITY_TEXT_REFUSED.
 */
export function IsIdentityText(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'identityTextRefused',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || identityTextProblem(value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          (typeof args.value === 'string' && identityTextProblem(args.value)) || 'Texte refusé.',
      },
    });
}
