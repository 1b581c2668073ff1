/**
 * The dossier's section forms as people fill them (urlencoded fields, amounts typed in French) turned into
 * the API's edit (`UpdateApplicationDto`), and the stored dossier turned back into the forms' values. Pure:
 * the pages validate the result with the API's DTO and call the API's services.
 */
import { parseFrenchAmount, typedAmount } from '../common/money.js';
import { BUDGET_LINES, posteOf, SUBSIDY_POSTE } from '../modules/checks/budget-lines.js';
import { SUBSIDY_ACCOUNT } from '../modules/checks/checks.js';
import type { ApplicationDto, UpdateApplicationDto } from '../modules/applications/dto/application.dto.js';
import type { FieldError } from './pages.js';

export type Form = Record<string, string | string[] | undefined>;

/** A field's value (the first if repeated). */
export const one = (form: Form, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).toString();
};
/** A repeated field's values, in order. */
export const many = (form: Form, name: string): string[] => {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
};
const orNull = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

export const AGE_FIELDS = [
  ['0-5', 'age0'],
  ['6-11', 'age6'],
  ['12-15', 'age12'],
  ['16-25', 'age16'],
  ['26-64', 'age26'],
  ['65+', 'age65'],
] as const;

/** A count typed in a form: digits (spaces allowed); undefined when blank, NaN when not a count. */
function count(typed: string): number | undefined {
  const compact = typed.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return undefined;
  return /^\d{1,9}$/.test(compact) ? Number(compact) : Number.NaN;
}

export interface Parsed {
  edit: UpdateApplicationDto;
  /** What the form could not read at all (an amount in letters): shown beside the field. */
  errors: FieldError[];
}

export function parseProject(form: Form): Parsed {
  const errors: FieldError[] = [];
  const labels = many(form, 'indicatorLabel');
  const units = many(form, 'indicatorUnit');
  const targets = many(form, 'indicatorTarget');
  const indicators = labels.flatMap((label, index) => {
    const unit = units[index] ?? '';
    const target = (targets[index] ?? '').trim();
    if (label.trim() === '' && unit.trim() === '' && target === '') return [];
    const value =
      target === '' ? Number.NaN : Number(target.replace(',', '.').replace(/[\s\u00a0\u202f]/g, ''));
    if (!Number.isFinite(value) || value < 0)
      errors.push({
        id: `indicatorTarget-${index}`,
        message: `Indiquez la cible de l’indicateur ${index + 1} en nombre, par exemple 20.`,
      });
    return [{ label: label.trim(), unit: unit.trim(), targetValue: value }];
  });
  return {
    edit: {
      title: one(form, 'title').trim(),
      summary: orNull(one(form, 'summary')),
      objectives: orNull(one(form, 'objectives')),
      description: orNull(one(form, 'description')),
      measureId: orNull(one(form, 'measureId')),
      location: orNull(one(form, 'location')),
      startDate: orNull(one(form, 'startDate')),
      endDate: orNull(one(form, 'endDate')),
      indicators,
    },
    errors,
  };
}

export function parsePublics(form: Form): Parsed {
  const errors: FieldError[] = [];
  const read = (name: string, label: string): number => {
    const value = count(one(form, name));
    if (value === undefined || Number.isNaN(value)) {
      errors.push({ id: name, message: `Indiquez « ${label} » en nombre de personnes, par exemple 40.` });
      return 0;
    }
    return value;
  };
  const byAge: Record<string, number> = {};
  for (const [band, name] of AGE_FIELDS) {
    const value = count(one(form, name));
    if (value !== undefined && Number.isNaN(value))
      errors.push({ id: name, message: `Indiquez les ${band} ans en nombre de personnes.` });
    else if (value !== undefined) byAge[band] = value;
  }
  return {
    edit: {
      qpvCodes: many(form, 'qpvCodes'),
      beneficiaries: {
        total: read('total', 'Nombre total de bénéficiaires'),
        qpvResidents: read('qpvResidents', 'Dont habitants des quartiers prioritaires'),
        women: read('women', 'Femmes'),
        men: read('men', 'Hommes'),
        byAge,
      },
    },
    errors,
  };
}

export interface BudgetRows {
  charges: { account: string; label: string; amount: string }[];
  financers: Record<string, string>;
  others: { account: string; label: string; amount: string }[];
}

/** The budget grid's rows as typed (kept to show them again), blank rows included. */
export function budgetRows(form: Form, financerCodes: readonly string[]): BudgetRows {
  const rows = (prefix: string) => {
    const accounts = many(form, `${prefix}Account`);
    const labels = many(form, `${prefix}Label`);
    const amounts = many(form, `${prefix}Amount`);
    return accounts.map((account, index) => ({
      account,
      label: labels[index] ?? '',
      amount: amounts[index] ?? '',
    }));
  };
  return {
    charges: rows('charge'),
    financers: Object.fromEntries(financerCodes.map((code) => [code, one(form, `financer-${code}`)])),
    others: rows('product'),
  };
}

const isBlankRow = (row: { account: string; label: string; amount: string }) =>
  row.account === '' && row.label.trim() === '' && row.amount.trim() === '';

/**
 * The grid as the API's budget: a line per charge; a 74 line per financer of the contract given an amount;
 * the other products, a 74 one naming the funder outside the contract by its label. Blank rows are dropped.
 */
export function parseBudget(rows: BudgetRows, financerNames: Record<string, string>): Parsed {
  const errors: FieldError[] = [];
  const amount = (typed: string, id: string): number => {
    const cents = parseFrenchAmount(typed);
    if (cents === undefined) {
      errors.push({ id, message: 'Indiquez un montant en euros, comme 4 270 ou 4 270,50.' });
      return 0;
    }
    return cents;
  };
  const charges = rows.charges.flatMap((row, index) =>
    isBlankRow(row)
      ? []
      : [
          {
            account: row.account,
            label: row.label.trim(),
            amountCents: amount(row.amount, `chargeAmount-${index}`),
          },
        ],
  );
  const financed = Object.entries(rows.financers).flatMap(([code, typed]) =>
    typed.trim() === ''
      ? []
      : [
          {
            account: SUBSIDY_ACCOUNT,
            label: financerNames[code] ?? code,
            amountCents: amount(typed, `financer-${code}`),
            partnerCode: code,
          },
        ],
  );
  const others = rows.others.flatMap((row, index) => {
    if (isBlankRow(row)) return [];
    const subsidy = posteOf('product', row.account) === SUBSIDY_POSTE;
    return [
      {
        account: row.account,
        label: row.label.trim(),
        amountCents: amount(row.amount, `productAmount-${index}`),
        ...(subsidy ? { funder: row.label.trim() } : {}),
      },
    ];
  });
  return { edit: { budget: { charges, products: [...financed, ...others] } }, errors };
}

/** The stored budget as the grid's rows (amounts as typed back: « 4 270,50 »). */
export function rowsOfBudget(dossier: Pick<ApplicationDto, 'budget'>): BudgetRows {
  const budget = dossier.budget ?? { charges: [], products: [] };
  return {
    charges: budget.charges.map((line) => ({
      account: line.account,
      label: line.label,
      amount: typedAmount(line.amountCents),
    })),
    financers: Object.fromEntries(
      budget.products
        .filter((line) => line.partnerCode)
        .map((line) => [line.partnerCode!, typedAmount(line.amountCents)]),
    ),
    others: budget.products
      .filter((line) => !line.partnerCode)
      .map((line) => ({ account: line.account, label: line.label, amount: typedAmount(line.amountCents) })),
  };
}

/** Totals of the grid as typed (amounts that cannot be read count nothing), for the page and its script. */
export function budgetTotals(rows: BudgetRows): { charges: number; products: number } {
  const sum = (values: string[]) =>
    values.reduce((total, value) => total + (parseFrenchAmount(value) ?? 0), 0);
  return {
    charges: sum(rows.charges.map((row) => row.amount)),
    products: sum([...Object.values(rows.financers), ...rows.others.map((row) => row.amount)]),
  };
}

export function parsePriorities(form: Form): Parsed {
  const marker = one(form, 'genderMarker');
  return {
    edit: {
      priorities: {
        genderEquality: {
          marker: (marker === '' ? undefined : Number(marker)) as 0 | 1 | 2,
          measures: one(form, 'genderMeasures').trim(),
          womenShareJustification: orNull(one(form, 'womenShareJustification')),
        },
        youth: { measures: one(form, 'youthMeasures').trim() },
        antiDiscrimination: { measures: one(form, 'antiDiscriminationMeasures').trim() },
      },
    },
    errors: [],
  };
}

const typedRow = (row: { account: string; label: string; amount: string }) =>
  row.account !== '' || row.label.trim() !== '' || row.amount.trim() !== '';

/** The grid without its blank rows. */
export function withoutBlankRows(rows: BudgetRows): BudgetRows {
  return { ...rows, charges: rows.charges.filter(typedRow), others: rows.others.filter(typedRow) };
}

/**
 * « Ajouter une ligne » and « Supprimer » (the grid's `action` buttons, which work without JavaScript): the
 * grid with the row removed (blank rows dropped; a blank one is always shown to type into), or undefined
 * when the form was not such a button but a save.
 */
export function gridEdit(rows: BudgetRows, action: string): BudgetRows | undefined {
  const removal = /^remove-(charge|product)-(\d+)$/.exec(action);
  if (action !== 'add-charge' && action !== 'add-product' && !removal) return undefined;
  if (removal) (removal[1] === 'charge' ? rows.charges : rows.others).splice(Number(removal[2]), 1);
  return withoutBlankRows(rows);
}

/** What the grid's template needs: the rows with a blank one to type into, the totals, the accounts. */
export function gridView(rows: BudgetRows, financers: { code: string; name: string }[]) {
  return {
    rows: {
      ...rows,
      charges: [...rows.charges, { account: '', label: '', amount: '' }],
      others: [...rows.others, { account: '', label: '', amount: '' }],
    },
    totals: budgetTotals(rows),
    financers,
    chargeLines: BUDGET_LINES.filter((line) => line.side === 'charge'),
    // The 74 heading is no line of its own: the contract's financers have theirs, others name their funder.
    productLines: BUDGET_LINES.filter((line) => line.side === 'product' && line.code !== SUBSIDY_POSTE),
  };
}

/**
 * A budget grid's form as its pages read it: a row added or removed (`edited`, to show the grid again), or
 * the grid to save without its blank rows (`kept`) and as the API's budget (`parsed`).
 */
export function readGrid(
  form: Form,
  financers: { code: string; name: string }[],
): { edited: BudgetRows } | { edited?: undefined; kept: BudgetRows; parsed: Parsed } {
  const rows = budgetRows(
    form,
    financers.map((financer) => financer.code),
  );
  const edited = gridEdit(rows, one(form, 'action'));
  if (edited) return { edited };
  const kept = withoutBlankRows(rows);
  const names = Object.fromEntries(financers.map((financer) => [financer.code, financer.name]));
  return { kept, parsed: parseBudget(kept, names) };
}
