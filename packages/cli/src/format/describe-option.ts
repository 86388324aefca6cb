// One option of a registry entry, from its JSON Schema, as `pfm list` prints it:
// `blocks  integer in [1, 128] = 8`.

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bounds(schema: Schema): string {
  const low: { v: number; strict: boolean } | undefined = typeof schema.minimum === 'number' ? { v: schema.minimum, strict: false } : typeof schema.exclusiveMinimum === 'number' ? { v: schema.exclusiveMinimum, strict: true } : undefined;
  const high: { v: number; strict: boolean } | undefined = typeof schema.maximum === 'number' ? { v: schema.maximum, strict: false } : typeof schema.exclusiveMaximum === 'number' ? { v: schema.exclusiveMaximum, strict: true } : undefined;
  // zod writes "any integer" as ±(2^53 − 1): not a bound worth printing.
  const real = (b: { v: number; strict: boolean } | undefined) => (b && Math.abs(b.v) < Number.MAX_SAFE_INTEGER ? b : undefined);
  const lo = real(low);
  const hi = real(high);
  if (lo && hi) return ` in ${lo.strict ? '(' : '['}${lo.v}, ${hi.v}${hi.strict ? ')' : ']'}`;
  if (lo) return ` ${lo.strict ? '>' : '≥'} ${lo.v}`;
  if (hi) return ` ${hi.strict ? '<' : '≤'} ${hi.v}`;
  return '';
}

/** The type of a JSON Schema in a few words: `"a" | "b"`, `integer ≥ 1`, `number[]`, `object`. */
export function describeType(schema: unknown): string {
  if (!isSchema(schema)) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) return union.map(describeType).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  switch (type) {
    case 'integer':
    case 'number':
      return `${type}${bounds(schema)}`;
    case 'array': {
      const items = describeType(schema.items);
      return items.includes(' ') ? `(${items})[]` : `${items}[]`;
    }
    case 'object':
      return isSchema(schema.properties) && Object.keys(schema.properties).length > 0
        ? `{ ${Object.keys(schema.properties).join(', ')} }`
        : 'object';
    case undefined:
      return 'any';
    default:
      return String(type);
  }
}

/** Name, type, default and description of each option in an options JSON Schema. */
export function describeOptions(schema: unknown): { name: string; text: string }[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const p = isSchema(property) ? property : {};
    let text = describeType(p);
    if ('default' in p) text += ` = ${JSON.stringify(p.default)}`;
    else text += required.has(name) ? ' (required)' : ' (optional)';
    if (typeof p.description === 'string' && p.description !== '') text += ` — ${p.description}`;
    return { name, text };
  });
}
