import { CliError } from './cli-error.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** The string value of `--name`, or undefined when absent. */
export function stringFlag(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new CliError(`--${name} needs a value`);
  if (value === '') throw new CliError(`--${name} needs a non-empty value`);
  return value;
}

/** The string value of a required `--name` (`shown` is how the help writes it, e.g. `-n`). */
export function requiredFlag(values: Values, name: string, command: string, shown = `--${name}`): string {
  const value = stringFlag(values, name);
  if (value === undefined) throw new CliError(`${shown} is required (see pfm ${command} --help)`);
  return value;
}

/** Whether the boolean `--name` was given. */
export function booleanFlag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** The values of a repeatable `--name`. */
export function listFlag(values: Values, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [String(value)]).filter((v) => v !== '');
}

/**
 * Parses an integer flag written in decimal (`--steps 500`, `--seed -3`), within [min, max];
 * anything else is an error naming the flag and the text given.
 */
export function integerFlag(text: string | undefined, flag: string, range: { min?: number; max?: number } = {}): number | undefined {
  if (text === undefined) return undefined;
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const bounds =
      min === 1 && max === Number.MAX_SAFE_INTEGER
        ? 'a positive integer'
        : min === 0 && max === Number.MAX_SAFE_INTEGER
          ? 'an integer ≥ 0'
          : min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER
            ? 'an integer'
            : `an integer in [${min}, ${max}]`;
    throw new CliError(`${flag} must be ${bounds}, got "${text}"`);
  }
  return value;
}

/** Parses a positive finite number flag (`--lr 1e-3`); errors name the flag and the text. */
export function positiveNumberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new CliError(`${flag} must be a positive number, got "${text}"`);
  return value;
}

/** Parses a finite number ≥ 0 (`--checkpoint-minutes 0`); errors name the flag and the text. */
export function nonNegativeNumberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliError(`${flag} must be a number ≥ 0, got "${text}"`);
  return value;
}

/**
 * The entry of `table` that `--flag TEXT` names (`--format onnx`, `--arch mlp`); an unknown name is
 * an error in the command line's wording for unknown names, `<flag>: unknown <what> "TEXT"; <known>:
 * a, b, c` (`known` defaults to "known"), which also suggests a near miss ("did you mean").
 */
export function choiceFlag<V>(text: string, flag: string, table: Readonly<Record<string, V>>, wording: { what: string; known?: string }): V {
  if (!Object.hasOwn(table, text)) {
    throw new CliError(`${flag}: unknown ${wording.what} "${text}"; ${wording.known ?? 'known'}: ${Object.keys(table).join(', ')}`);
  }
  return table[text] as V;
}

/**
 * Parses a list of positive integers separated by commas (`--hidden 64,64,64`, `--shape 28,28,1`),
 * of `length` entries when given; anything else is the error `<flag> must be <expected>, got "TEXT"`.
 */
export function positiveIntegerListFlag(text: string | undefined, flag: string, expected: string, length?: number): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : NaN));
  if ((length !== undefined && values.length !== length) || values.some((v) => !Number.isSafeInteger(v) || v < 1)) {
    throw new CliError(`${flag} must be ${expected}, got "${text}"`);
  }
  return values;
}
