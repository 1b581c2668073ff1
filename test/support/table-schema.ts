/**
 * Validates CSV rows against a Frictionless Table Schema (the SCDL schema file itself): header, required
 * fields, types (string, integer, number, date, boolean) and constraints (pattern, enum, maxLength,
 * minimum, maximum). Returns every problem found, as "row N, field: what".
 */
interface Field {
  name: string;
  type: string;
  constraints?: {
    required?: boolean;
    pattern?: string;
    enum?: string[];
    maxLength?: number;
    minimum?: number;
    maximum?: number;
  };
}

export function tableSchemaProblems(
  schema: { fields: Field[] },
  header: string[],
  rows: Record<string, string>[],
): string[] {
  const problems: string[] = [];
  const names = schema.fields.map((field) => field.name);
  if (JSON.stringify(header) !== JSON.stringify(names))
    problems.push(`header ${JSON.stringify(header)} differs from the schema's fields`);
  rows.forEach((row, index) => {
    for (const field of schema.fields) {
      const value = row[field.name] ?? '';
      const where = `row ${index + 1}, ${field.name}`;
      const c = field.constraints ?? {};
      if (value === '') {
        if (c.required) problems.push(`${where}: required`);
        continue;
      }
      if (field.type === 'integer' && !/^-?\d+$/.test(value))
        problems.push(`${where}: not an integer (${value})`);
      if (field.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value))
        problems.push(`${where}: not a number (${value})`);
      if (field.type === 'boolean' && !['true', 'false'].includes(value))
        problems.push(`${where}: not a boolean (${value})`);
      if (field.type === 'date' && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
        problems.push(`${where}: not a date (${value})`);
      }
      if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(value))
        problems.push(`${where}: does not match ${c.pattern} (${value})`);
      if (c.enum && !c.enum.includes(value))
        problems.push(`${where}: not one of ${c.enum.join(' | ')} (${value})`);
      if (c.maxLength !== undefined && [...value].length > c.maxLength)
        problems.push(`${where}: longer than ${c.maxLength}`);
      if (c.minimum !== undefined && Number(value) < c.minimum) problems.push(`${where}: below ${c.minimum}`);
      if (c.maximum !== undefined && Number(value) > c.maximum) problems.push(`${where}: above ${c.maximum}`);
    }
  });
  return problems;
}
