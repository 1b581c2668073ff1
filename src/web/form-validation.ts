import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { ApplicationError, type ErrorDetail } from '../common/application-error.js';
import { cleanFreeText, flattenValidationErrors, inspectInput } from '../common/validation.js';
import type { FieldError } from './pages.js';

/** Each field of a form: the DTO's path, the page's field id and the label a person reads. */
export type FormFields = Record<string, { id: string; label: string }>;

/**
 * What a page says for a broken rule, with the field's label: the API's generic wording names its JSON
 * path; a person needs the label. Messages a validator or a service wrote for people are kept.
 */
function pageMessage(label: string, detail: ErrorDetail): string {
  const bound = /\(limite : ([\d.]+)\)/.exec(detail.message)?.[1];
  switch (detail.code) {
    case 'REQUIRED':
    case 'IS_DEFINED':
      return `Renseignez « ${label} ».`;
    case 'IS_EMAIL':
      return `« ${label} » doit être une adresse électronique, comme nom@exemple.fr.`;
    case 'MIN_LENGTH':
      return `« ${label} » doit compter au moins ${bound} caractères.`;
    case 'MAX_LENGTH':
      return `« ${label} » doit compter au plus ${bound} caractères.`;
    case 'IS_INT':
    case 'IS_NUMBER':
      return `« ${label} » doit être un nombre.`;
    case 'MIN':
      return `« ${label} » doit valoir au moins ${bound}.`;
    case 'MAX':
      return `« ${label} » doit valoir au plus ${bound}.`;
    case 'IS_IN':
    case 'IS_UUID':
      return `Choisissez « ${label} » dans la liste.`;
    case 'MATCHES':
    case 'IS_ISO8601':
      return `« ${label} » n’a pas le format attendu.`;
    case 'REASON_REQUIRED':
      return `Renseignez « ${label} » : le porteur le lira.`;
    case 'GRANT_ABOVE_REQUEST':
      return `« ${label} » dépasse le montant demandé.`;
    default:
      return detail.message;
  }
}

/** Places a service's or validator's details on the form's fields (the first field when none matches). */
export function toFieldErrors(details: ErrorDetail[], fields: FormFields): FieldError[] {
  const first = Object.values(fields)[0];
  return details.map((detail) => {
    const path = detail.field ?? '';
    const key =
      fields[path] !== undefined
        ? path
        : Object.keys(fields).find((name) => path.startsWith(`${name}.`) || path.startsWith(`${name}[`));
    const field = key ? fields[key] : undefined;
    return field
      ? { id: field.id, message: pageMessage(field.label, detail) }
      : { id: first?.id ?? 'contenu', message: detail.message };
  });
}

/**
 * Validates a form's values with the API's own DTO (its transforms, its rules, its messages), as the API's
 * pipe does: U+0000 refused, unknown fields dropped, free text cleaned. Returns the DTO and the field errors.
 */
export async function validateForm<T extends object>(
  dto: ClassConstructor<T>,
  plain: object,
  fields: FormFields,
): Promise<{ value: T; errors: FieldError[] }> {
  const nul = inspectInput(plain).nulPath;
  const value = plainToInstance(dto, plain);
  if (nul)
    return { value, errors: [{ id: fields[nul]?.id ?? 'contenu', message: 'Caractère non accepté.' }] };
  const errors = toFieldErrors(
    flattenValidationErrors(await validate(value, { whitelist: true, forbidUnknownValues: true })),
    fields,
  );
  if (errors.length === 0) cleanFreeText(value);
  return { value, errors };
}

/**
 * A service's refusal of a form (a rule broken, a conflict, a bad link) as field errors to show with the
 * form again; anything else (not found, forbidden, a failure) goes on to the error pages.
 */
export function refusalOf(error: unknown, fields: FormFields): FieldError[] {
  if (!(error instanceof ApplicationError) || ![400, 401, 409, 413, 422].includes(error.status)) throw error;
  return toFieldErrors(error.details, fields);
}
