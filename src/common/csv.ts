import { parse } from 'csv-parse/sync';

/**
 * Parses a CSV (RFC 4180: quoted fields, doubled quotes; a BOM is dropped) into records keyed by its header
 * row, with csv-parse. Blank lines are skipped; a short line gets empty cells.
 */
export function parseCsv(text: string, separator = ','): Record<string, string>[] {
  const rows: string[][] = parse(text, {
    bom: true,
    delimiter: separator,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  });
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])));
}
