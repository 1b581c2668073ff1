import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApplicationError, ErrorDetail } from './application-error.js';
import { cleanText } from './text.js';

/** class-validator constraint names whose stable code is not just their UPPER_SNAKE form. */
const CODE_OF_CONSTRAINT: Record<string, string> = {
  whitelistValidation: 'UNKNOWN_FIELD',
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  nestedValidation: 'INVALID_NESTED',
  unknownValue: 'INVALID_VALUE',
};

export function constraintCode(constraint: string): string {
  return CODE_OF_CONSTRAINT[constraint] ?? constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** French messages for the constraints people meet most; the others keep class-validator's. */
const FRENCH_OF_CODE: Record<string, string> = {
  REQUIRED: 'est obligatoire',
  IS_DEFINED: 'est obligatoire',
  IS_EMAIL: 'doit être une adresse e-mail valide',
  IS_STRING: 'doit être un texte',
  IS_INT: 'doit être un nombre entier',
  IS_BOOLEAN: 'doit valoir true ou false',
  IS_UUID: 'doit être un identifiant (UUID)',
  IS_ARRAY: 'doit être une liste',
  IS_IN: 'a une valeur non autorisée',
  IS_ENUM: 'a une valeur non autorisée',
  IS_DATE_STRING: 'doit être une date AAAA-MM-JJ',
  IS_ISO8601: 'doit être une date ou un instant ISO 8601',
  MIN: 'est trop petit',
  MAX: 'est trop grand',
  MIN_LENGTH: 'est trop court',
  MAX_LENGTH: 'est trop long',
  ARRAY_MIN_SIZE: 'compte trop peu d’éléments',
  ARRAY_MAX_SIZE: 'compte trop d’éléments',
  MATCHES: 'n’a pas le format attendu',
  IS_OBJECT: 'doit être un objet',
  INVALID_NESTED: 'doit être un objet',
};

function frenchMessage(field: string, code: string, original: string): string {
  const french = FRENCH_OF_CODE[code];
  if (!french) return original;
  // Keep the bound class-validator states ("shorter than or equal to 200 characters") after the French.
  const bound = /(?:than or equal to|at least|at most|not be less than|not be greater than) ([\d.]+)/.exec(
    original,
  )?.[1];
  return bound ? `${field} ${french} (limite : ${bound}).` : `${field} ${french}.`;
}

/** Which broken constraint speaks for a field: an unknown field, then a missing one, then its type. */
const PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'nestedValidation',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
];

function mainConstraint(constraints: Record<string, string>): [string, string] {
  const entries = Object.entries(constraints);
  const rank = (name: string): number => (PRIORITY.includes(name) ? PRIORITY.indexOf(name) : PRIORITY.length);
  return entries.reduce((best, entry) => (rank(entry[0]) < rank(best[0]) ? entry : best));
}

/** Flattens class-validator's tree into one detail per invalid field, with a dotted field path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: ErrorDetail[] = [];
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      const [constraint, message] = mainConstraint(error.constraints);
      if (constraint === 'whitelistValidation') {
        own.push({ field, code: 'UNKNOWN_FIELD', message: `Champ inconnu : ${field}.` });
      } else if (error.value === undefined || error.value === null) {
        own.push({ field, code: 'REQUIRED', message: `${field} est obligatoire.` });
      } else {
        const code = constraintCode(constraint);
        own.push({ field, code, message: frenchMessage(field, code, message) });
      }
    }
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The deepest nesting a body or query may have: the deepest the contract defines is 5 (budget lines). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Visits every string of a parsed body or query without recursion (so a hostile nesting cannot overflow the
 * stack), with its dotted path (array indexes in brackets) and its container, so that it may be replaced;
 * stops early when `visit` returns true. Returns false if the nesting goes deeper than `MAX_INPUT_DEPTH`.
 */
function walkStrings(
  value: unknown,
  visit: (text: string, path: string, container?: Record<string, unknown>, key?: string) => boolean | void,
): boolean {
  type Step = {
    value: unknown;
    path: string;
    depth: number;
    container?: Record<string, unknown>;
    key?: string;
  };
  const stack: Step[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth, container, key } = stack.pop()!;
    if (typeof current === 'string') {
      if (visit(current, path, container, key)) return true;
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return false;
    const entries = Array.isArray(current)
      ? current.map((item, index) => [`${path}[${index}]`, item, String(index)] as const)
      : Object.entries(current).map(([name, item]) => [path ? `${path}.${name}` : name, item, name] as const);
    // Reversed onto the stack, so the first field is looked at first.
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [childPath, item, childKey] = entries[index];
      stack.push({
        path: childPath,
        value: item,
        depth: depth + 1,
        container: current as Record<string, unknown>,
        key: childKey,
      });
    }
  }
  return true;
}

/**
 * The path of the first string holding U+0000, which PostgreSQL text cannot store, and whether the nesting
 * goes deeper than `MAX_INPUT_DEPTH`.
 */
export function inspectInput(value: unknown): { nulPath?: string; tooDeep: boolean } {
  let nulPath: string | undefined;
  const withinDepth = walkStrings(value, (text, path) => {
    if (!text.includes('\u0000')) return false;
    nulPath = path || 'body';
    return true;
  });
  return nulPath ? { nulPath, tooDeep: false } : { tooDeep: !withinDepth };
}

/** Fields whose strings are secrets, kept exactly as typed. */
const SECRET_KEY = /password|token/i;

/**
 * Cleans the free text of a validated body in place (`cleanText`: NFC, no bidirectional controls) before
 * anything stores it: titles, messages, comments... A secret (password, token) is compared byte for byte
 * and left as typed. After validation, so that the fields that must refuse such characters (names and
 * addresses, `IsIdentityText`) see them.
 */
export function cleanFreeText(value: unknown): void {
  walkStrings(value, (text, _path, container, key) => {
    if (!container || key === undefined || SECRET_KEY.test(key)) return;
    const cleaned = cleanText(text);
    if (cleaned !== text) container[key] = cleaned;
  });
}

/** Where a string holds U+0000 (see `inspectInput`). */
export const nulCharacterPath = (value: unknown): string | undefined => inspectInput(value).nulPath;

/**
 * Refuses, before validation, U+0000 anywhere in a body or query (rather than failing in the database) and a
 * nesting deeper than any the contract defines (rather than overflowing the validator's recursion: a 500).
 */
class RefusingNulValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const { nulPath: field, tooDeep } = inspectInput(value);
      if (field) {
        throw new ApplicationError('BAD_REQUEST', 'VALIDATION_FAILED', `Données invalides : ${field}.`, [
          { field, code: 'INVALID_CHARACTER', message: 'Le caractère nul (U+0000) n’est pas accepté.' },
        ]);
      }
      if (tooDeep) {
        const message = `Données imbriquées sur plus de ${MAX_INPUT_DEPTH} niveaux.`;
        throw new ApplicationError('BAD_REQUEST', 'VALIDATION_FAILED', message, [
          { code: 'TOO_DEEP', message },
        ]);
      }
    }
    const validated: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body' || metadata.type === 'query') cleanFreeText(validated);
    return validated;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RefusingNulValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors: ValidationError[]) => {
      const details = flattenValidationErrors(errors);
      const fields = [...new Set(details.map((detail) => detail.field))].join(', ');
      return new ApplicationError(
        'BAD_REQUEST',
        'VALIDATION_FAILED',
        `Données invalides : ${fields}.`,
        details.length > 0 ? details : [{ code: 'VALIDATION_FAILED', message: 'Données invalides.' }],
      );
    },
  });
}
