import { conflict, type ErrorCode } from './application-error.js';

/** A lifecycle as a table of allowed transitions. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** Throws a 409 `INVALID_TRANSITION` (or the given code) when the table does not allow the step. */
export function assertTransition<S extends string>(
  table: TransitionTable<S>,
  from: S,
  to: S,
  what: string,
  code: ErrorCode = 'INVALID_TRANSITION',
): void {
  if (!canTransition(table, from, to)) {
    throw conflict(code, `${what} : passage de ${from} à ${to} impossible.`, { currentStatus: from });
  }
}
