// The flag loop and value parsers the bench suites share (`--suite parity`, `--suite mnist`): each
// suite says what its flags do in a table, and every bad value is one error naming the flag, the
// value and what was expected.

/** What one flag of a suite does to its options `A`: a switch takes no value, a value flag the next argument. */
export type SuiteFlag<A> = { switch: (args: A) => void } | { value: (args: A, value: string | undefined, flag: string) => void };

/**
 * Reads `argv` into `args` (the suite's defaults, changed in place and returned) by the table
 * `flags`; `--help` or `-h` prints `help` and gives null; an unknown flag throws with `help`.
 */
export function parseSuiteArgs<A>(argv: readonly string[], args: A, flags: Readonly<Record<string, SuiteFlag<A>>>, help: string): A | null {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${help}\n`);
      return null;
    }
    const spec = Object.hasOwn(flags, flag) ? flags[flag]! : undefined;
    if (spec === undefined) throw new Error(`unknown option ${JSON.stringify(flag)}\n${help}`);
    if ('switch' in spec) {
      spec.switch(args);
    } else {
      spec.value(args, argv[i + 1], flag);
      i++;
    }
  }
  return args;
}

/** The comma-separated values of `flag`; throws when the value is missing. */
export function list(flag: string, value: string | undefined): string[] {
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value (a comma-separated list)`);
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** An integer ≥ `min` (and ≤ `max` when given). */
export function integerValue(flag: string, value: string | undefined, min: number, max?: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${flag} must be an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A finite number > 0. */
export function positiveValue(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

/** One of `allowed`. */
export function oneOfValue<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag}: unknown ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
  return value as T;
}

/** A path (not the next flag); `what` says what it names, e.g. "a folder". */
export function pathValue(flag: string, value: string | undefined, what: string): string {
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs ${what}`);
  return value;
}
