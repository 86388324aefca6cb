// A form for an objective's options, made from the JSON Schema the registry gives for them:
// numbers, integers, booleans, strings and enums, one level of nested objects (`sampler.steps`).
// Anything else (arrays, unions) stays editable in the recipe JSON.

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  description?: string;
}

type Options = Record<string, unknown>;

function field(path: string[], schema: JsonSchema, value: unknown, onChange: (path: string[], value: unknown) => void): HTMLElement | undefined {
  const label = document.createElement('label');
  label.className = 'option';
  const name = document.createElement('span');
  name.textContent = path.join('.');
  label.append(name);
  let input: HTMLInputElement | HTMLSelectElement;
  if (schema.enum && schema.enum.every((v) => typeof v === 'string')) {
    const select = document.createElement('select');
    for (const v of schema.enum as string[]) select.add(new Option(v, v));
    select.value = String(value ?? schema.default ?? '');
    select.addEventListener('change', () => onChange(path, select.value));
    input = select;
  } else if (schema.type === 'boolean') {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = Boolean(value ?? schema.default);
    box.addEventListener('change', () => onChange(path, box.checked));
    input = box;
  } else if (schema.type === 'number' || schema.type === 'integer') {
    const num = document.createElement('input');
    num.type = 'number';
    num.step = schema.type === 'integer' ? '1' : 'any';
    num.value = value === undefined ? '' : String(value);
    num.addEventListener('change', () => onChange(path, num.value === '' ? undefined : Number(num.value)));
    input = num;
  } else if (schema.type === 'string') {
    const text = document.createElement('input');
    text.type = 'text';
    text.value = value === undefined ? '' : String(value);
    text.addEventListener('change', () => onChange(path, text.value === '' ? undefined : text.value));
    input = text;
  } else {
    return undefined;
  }
  input.name = `option-${path.join('.')}`;
  if (schema.description) label.title = schema.description;
  label.append(input);
  return label;
}

/** Renders the fields of `schema` with the values of `options` into `container`. */
export function renderOptionsForm(
  container: HTMLElement,
  schema: unknown,
  options: Options,
  onChange: (path: string[], value: unknown) => void,
): void {
  container.replaceChildren();
  const root = schema as JsonSchema;
  for (const [key, sub] of Object.entries(root.properties ?? {})) {
    if (sub.type === 'object' && sub.properties) {
      const nested = (options[key] ?? {}) as Options;
      for (const [inner, innerSchema] of Object.entries(sub.properties)) {
        const el = field([key, inner], innerSchema, nested[inner], onChange);
        if (el) container.append(el);
      }
      continue;
    }
    const el = field([key], sub, options[key], onChange);
    if (el) container.append(el);
  }
}

/** `options` with the value at `path` set (undefined removes it), as a new object. */
export function withOption(options: Options, path: string[], value: unknown): Options {
  const [head, ...rest] = path;
  if (head === undefined) return options;
  const out: Options = { ...options };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const inner = typeof out[head] === 'object' && out[head] !== null ? (out[head] as Options) : {};
  out[head] = withOption(inner, rest, value);
  return out;
}
