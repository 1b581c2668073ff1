import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** SQL: a timestamptz column as the API's ISO 8601 UTC string with milliseconds (as `Date#toISOString`). */
export const isoTimestamp = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The column list and the matching `$n::type` list of an entity's row for a hand-written INSERT, from
 * TypeORM's metadata: the columns given a value (the others take their defaults), converted as TypeORM
 * would (transformers, JSON); the values are pushed on `parameters`.
 */
export function insertValues<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  entity: T,
  parameters: unknown[],
): { columns: string; values: string } {
  const driver = dataSource.driver;
  const columns: string[] = [];
  const values: string[] = [];
  for (const column of dataSource.getMetadata(target).columns) {
    const value: unknown = column.getEntityValue(entity);
    if (value === undefined) continue;
    columns.push(`"${column.databaseName}"`);
    const index = parameters.push(driver.preparePersistentValue(value, column));
    values.push(`$${index}::${driver.normalizeType(column)}`);
  }
  return { columns: columns.join(', '), values: values.join(', ') };
}
