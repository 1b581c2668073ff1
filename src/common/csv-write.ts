import { stringify } from 'csv-stringify/sync';

/** A cell's value as the exports give it: absent values are empty cells. */
export type CsvValue = string | number | null | undefined;

/**
 * One CSV record (csv-stringify): quoted where needed, CRLF-terminated as spreadsheets expect, and defused
 * against formula injection: a cell starting with = + - @ (or a tab, a carriage return) would run as a
 * formula in Excel or LibreOffice, so it gets a leading apostrophe (`escape_formulas`).
 */
export function csvLine(values: CsvValue[], separator: string): string {
  return stringify([values.map((value) => (value === null || value === undefined ? '' : value))], {
    delimiter: separator,
    record_delimiter: 'windows',
    escape_formulas: true,
    // A line break inside a cell is quoted too (csv-stringify quotes only the record delimiter, CRLF).
    quoted_match: /[\r\n]/,
  });
}
