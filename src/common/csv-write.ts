/** Writing CSV cells: quoted when needed, and defused against formula injection in spreadsheets. */
export function csvCell(value: string | number | null | undefined, separator: string): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A cell starting with = + - @ would run as a formula in Excel or LibreOffice.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(separator) || text.includes('"') || text.includes('\n') || text.includes('\r')
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

export function csvLine(values: (string | number | null | undefined)[], separator: string): string {
  return values.map((value) => csvCell(value, separator)).join(separator) + '\r\n';
}
