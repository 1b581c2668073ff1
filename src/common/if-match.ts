/** The version an `If-Match` header names (`"3"`, `W/"3"`), if it names one. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const value = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}
