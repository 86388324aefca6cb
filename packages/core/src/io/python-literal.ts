// A parser for the small subset of Python literals found in .npy headers (internal):
// dicts, tuples, lists, quoted strings without escapes, integers, True, False and None.
// It only reads; nothing in the text is ever evaluated.

/** A parsed Python literal. Dicts keep their key order; duplicate keys are refused. */
export type PythonValue =
  | { kind: 'dict'; entries: Map<string, PythonValue> }
  | { kind: 'tuple'; items: PythonValue[] }
  | { kind: 'list'; items: PythonValue[] }
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' };

const MAX_DEPTH = 16;

/** Parses `text` as one Python literal; throws an Error saying where the text is wrong. */
export function parsePythonLiteral(text: string): PythonValue {
  let pos = 0;

  const fail = (what: string): never => {
    throw new Error(`${what} at character ${pos + 1} of ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected "${ch}"`);
    pos++;
  };

  const parseValue = (depth: number): PythonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipSpace();
    const ch = text[pos];
    if (ch === '{') return parseDict(depth);
    if (ch === '(') return parseSequence('tuple', ')', depth);
    if (ch === '[') return parseSequence('list', ']', depth);
    if (ch === "'" || ch === '"') return { kind: 'str', value: parseString() };
    const word = /^[A-Za-z_]\w*/.exec(text.slice(pos, pos + 32));
    if (word) {
      pos += word[0].length;
      if (word[0] === 'True') return { kind: 'bool', value: true };
      if (word[0] === 'False') return { kind: 'bool', value: false };
      if (word[0] === 'None') return { kind: 'none' };
      pos -= word[0].length;
      return fail(`unexpected name "${word[0]}"`);
    }
    const integer = /^[+-]?\d+L?/.exec(text.slice(pos, pos + 40));
    if (integer) {
      const digits = integer[0].replace(/L$/, '');
      const value = Number(digits);
      if (!Number.isSafeInteger(value)) fail(`integer ${digits} is too large`);
      pos += integer[0].length;
      return { kind: 'int', value };
    }
    return fail(ch === undefined ? 'unexpected end of text' : `unexpected character ${JSON.stringify(ch)}`);
  };

  const parseString = (): string => {
    const quote = text[pos] as string;
    pos++;
    const start = pos;
    while (pos < text.length && text[pos] !== quote) {
      if (text[pos] === '\\') fail('escape sequences in strings are not supported');
      if (text[pos] === '\n') fail('line break inside a string');
      pos++;
    }
    if (pos >= text.length) fail('unterminated string');
    const value = text.slice(start, pos);
    pos++;
    return value;
  };

  const parseSequence = (kind: 'tuple' | 'list', close: string, depth: number): PythonValue => {
    pos++;
    const items: PythonValue[] = [];
    let trailingComma = false;
    while (true) {
      skipSpace();
      if (text[pos] === close) {
        pos++;
        // (x) is a parenthesised value in Python, not a tuple: a one-item tuple needs its comma.
        if (kind === 'tuple' && items.length === 1 && !trailingComma) fail('a one-item tuple needs a trailing comma');
        return { kind, items };
      }
      items.push(parseValue(depth + 1));
      skipSpace();
      trailingComma = false;
      if (text[pos] === ',') {
        pos++;
        trailingComma = true;
      } else if (text[pos] !== close) {
        fail(`expected "," or "${close}"`);
      }
    }
  };

  const parseDict = (depth: number): PythonValue => {
    pos++;
    const entries = new Map<string, PythonValue>();
    while (true) {
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'dict', entries };
      }
      if (text[pos] !== "'" && text[pos] !== '"') fail('expected a string key');
      const key = parseString();
      if (entries.has(key)) fail(`duplicate key '${key}'`);
      expect(':');
      entries.set(key, parseValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}') fail('expected "," or "}"');
    }
  };

  const value = parseValue(0);
  skipSpace();
  if (pos !== text.length) fail('unexpected text after the literal');
  return value;
}
