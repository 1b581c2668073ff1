import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { BUDGET_LINES, CHARGE_CODES, posteOf, PRODUCT_CODES } from './budget-lines.js';

describe('the CERFA budget lines', () => {
  it('are those of the DAUPHIN reference, in its order', () => {
    const rows = parse(
      readFileSync(join(process.cwd(), 'seeds/data/cerfa_budget_lignes_dauphin.csv'), 'utf8'),
      {
        columns: true,
        relax_quotes: true, // the remarks quote DAUPHIN's labels inside unquoted fields
      },
    ) as { sens: string; poste: string; ligne_ref: string; libelle: string }[];
    expect(BUDGET_LINES).toEqual(
      rows.map((row) => ({
        side: row.sens === 'charge' ? 'charge' : 'product',
        poste: row.poste,
        code: row.ligne_ref || row.poste,
        label: row.libelle,
      })),
    );
  });

  it('name each code once per side and tell its heading', () => {
    expect(new Set(CHARGE_CODES).size).toBe(CHARGE_CODES.length);
    expect(new Set(PRODUCT_CODES).size).toBe(PRODUCT_CODES.length);
    expect(posteOf('product', '74fe')).toBe('74');
    expect(posteOf('charge', '864')).toBe('86');
    expect(posteOf('charge', 'chgfixe')).toBe('CHARGINDIRECT');
    expect(posteOf('product', 'insufprevisionnel')).toBe('RESSPROPRES');
    expect(posteOf('charge', '74')).toBeUndefined();
  });
});
