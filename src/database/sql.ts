/** SQL: a timestamptz column as the API's ISO 8601 UTC string with milliseconds (as `Date#toISOString`). */
export const isoTimestamp = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
