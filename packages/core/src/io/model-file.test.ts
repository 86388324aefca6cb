import { describe, expect, it } from 'vitest';
import { encodeFloat32Base64 } from './base64.js';
import { decodeModelFile } from './decode-model-file.js';
import { encodeModelFile } from './encode-model-file.js';
import type { ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';

function sample(): ModelFileContent {
  return {
    method: 'flow-matching',
    options: { sigma: 0.1, schedule: { kind: 'linear', knots: [0, 0.5, 1] }, name: 'ü "quoted"' },
    dim: 2,
    plugins: [
      { name: '@pfm/flows', version: '0.1.0' },
      { name: '@pfm/core', version: '0.1.0' },
    ],
    maps: {
      velocity: {
        type: 'time-mlp',
        options: { hidden: [16, 16], activation: 'silu' },
        weights: [
          { name: '0:dense/kernel', shape: [3, 2], values: new Float32Array([0.1, -0.2, 0.3, 1e-30, -3e38, 0]) },
          { name: '1:dense/bias', shape: [2], values: new Float32Array([1.5, -0]) },
          { name: '2:scale', shape: [], values: new Float32Array([7]) },
          { name: '3:empty', shape: [0, 4], values: new Float32Array(0) },
        ],
      },
      critic: { type: 'mlp', options: {}, weights: [{ name: 'w', shape: [1, 1, 2], values: new Float32Array([4, 5]) }] },
    },
    extra: { mean: [0.5, -0.5], std: [1, 2], note: null, flag: true },
    training: { steps: 100, seed: 42, finalLoss: 0.0123, seconds: 1.5 },
  };
}

function expectSameContent(actual: ModelFileContent, expected: ModelFileContent) {
  const plain = (c: ModelFileContent) =>
    JSON.parse(
      JSON.stringify(c, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v, (x) => (Object.is(x, -0) ? '-0' : x)) : v)),
    ) as unknown;
  expect(plain(actual)).toEqual(plain(expected));
  for (const role of Object.keys(expected.maps)) {
    expected.maps[role]!.weights.forEach((w, i) => expect(actual.maps[role]!.weights[i]!.values).toBeInstanceOf(Float32Array));
  }
}

// An inline model file as parsed JSON, to be edited into hostile variants.
function fileObject(): Record<string, any> {
  return JSON.parse(encodeModelFile(sample()).json) as Record<string, any>;
}

function errorOf(json: string, options: Parameters<typeof decodeModelFile>[1] = {}): ModelFileError {
  try {
    decodeModelFile(json, { source: 'model.json', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError');
}
const messageOf = (file: unknown, options: Parameters<typeof decodeModelFile>[1] = {}) =>
  errorOf(typeof file === 'string' ? file : JSON.stringify(file), options).message;

describe('model files: round trips', () => {
  it('inline weights (base64) round-trip every value and field', () => {
    const { json, binary } = encodeModelFile(sample());
    expect(binary).toBeUndefined();
    const parsed = JSON.parse(json) as Record<string, any>;
    expect(parsed.format).toBe('pfm-model');
    expect(parsed.version).toBe(1);
    expect(parsed.maps.velocity.weights[1]).toEqual({
      name: '1:dense/bias',
      shape: [2],
      dtype: 'float32',
      data: encodeFloat32Base64(new Float32Array([1.5, -0])),
    });
    expectSameContent(decodeModelFile(json), sample());
  });

  it('binary weights: contiguous little-endian float32 with offsets and lengths', () => {
    const { json, binary } = encodeModelFile(sample(), { weights: 'binary', weightsFileName: 'm.bin' });
    const parsed = JSON.parse(json) as Record<string, any>;
    expect(parsed.weightsFile).toBe('m.bin');
    expect(parsed.maps.velocity.weights[0]).toEqual({ name: '0:dense/kernel', shape: [3, 2], dtype: 'float32', offset: 0, length: 24 });
    expect(parsed.maps.velocity.weights[1]).toMatchObject({ offset: 24, length: 8 });
    expect(parsed.maps.critic.weights[0]).toMatchObject({ offset: 36, length: 8 });
    expect(binary!.length).toBe(44);
    expect(new DataView(binary!.buffer, binary!.byteOffset).getFloat32(24, true)).toBe(1.5);
    expectSameContent(decodeModelFile(json, { binary }), sample());
  });

  it('leaves out an absent training record, drops undefined properties, and builds ordinary objects', () => {
    const content = sample();
    delete content.training;
    (content.options as Record<string, unknown>).unset = undefined;
    const back = decodeModelFile(encodeModelFile(content).json);
    expect('training' in back).toBe(false);
    expect('unset' in back.options).toBe(false);
    expect(Object.getPrototypeOf(back.options)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(back.maps.velocity!.options)).toBe(Object.prototype);
  });
});

describe('model files: eventShape', () => {
  it('records the shape of one sample, after dim, and reads it back; a file without one has none', () => {
    const content = { ...sample(), eventShape: [1, 2, 1] };
    const { json } = encodeModelFile(content);
    expect(Object.keys(JSON.parse(json) as object).slice(4, 7)).toEqual(['dim', 'eventShape', 'plugins']);
    expect(decodeModelFile(json).eventShape).toEqual([1, 2, 1]);
    const old = decodeModelFile(encodeModelFile(sample()).json);
    expect('eventShape' in old).toBe(false);
    expect(old.dim).toBe(2);
  });

  it('refuses an eventShape that is not positive integers whose product is dim, naming the field', () => {
    const expected = 'expected an array of 1 to 8 positive integers whose product is dim = 2';
    const cases: [unknown, string][] = [
      [[2, 2, 1], 'model.json: eventShape: shape [2,2,1] holds 4 values per sample, but dim is 2'],
      [[2, 0], `model.json: eventShape: ${expected}, got [2,0]`],
      [[-1, -2], `model.json: eventShape: ${expected}, got [-1,-2]`],
      [[1.5, 4 / 3], `model.json: eventShape: ${expected}, got [1.5,1.3333333333333333]`],
      [['2'], `model.json: eventShape: ${expected}, got ["2"]`],
      [[], `model.json: eventShape: ${expected}, got []`],
      [new Array(9).fill(1), `model.json: eventShape: ${expected}, got [1,1,1,1,1,1,… 3 more]`],
      ['28x28', `model.json: eventShape: ${expected}, got "28x28"`],
      [null, `model.json: eventShape: ${expected}, got null`],
    ];
    for (const [value, message] of cases) {
      const file = fileObject();
      file.eventShape = value;
      expect(messageOf(file)).toBe(message);
      expect(() => encodeModelFile({ ...sample(), eventShape: value as number[] }, { source: 'model.json' })).toThrow(message);
    }
  });
});

describe('model files: hostile or broken input', () => {
  it('names the JSON path and the bad value of a shape', () => {
    const f = fileObject();
    f.maps.velocity.weights[2].shape = [2, -1];
    expect(messageOf(f)).toBe(
      'model.json: maps.velocity.weights[2].shape: expected an array of non-negative integers, got [2,-1]',
    );
    f.maps.velocity.weights[2].shape = [1.5];
    expect(messageOf(f)).toMatch(/weights\[2\]\.shape: expected an array of non-negative integers, got \[1\.5\]$/);
    f.maps.velocity.weights[2].shape = 'big';
    expect(messageOf(f)).toMatch(/got "big"$/);
    f.maps.velocity.weights[2].shape = [1, 1, 1, 1, 1, 1, 1, 1, 1];
    expect(messageOf(f)).toBe('model.json: maps.velocity.weights[2].shape: has 9 dimensions, at most 8 are supported');
  });

  it('refuses an enormous declared shape at once, before decoding or allocating', () => {
    const f = fileObject();
    f.maps.velocity.weights[0].shape = [1e9, 1e9];
    const started = performance.now();
    expect(messageOf(f)).toBe(
      'model.json: maps.velocity.weights[0].shape: shape [1000000000,1000000000] holds more than 536870912 values (2147483648 bytes, the maxWeightBytes limit)',
    );
    expect(performance.now() - started).toBeLessThan(1000);
    // Several weights each under the limit but together over it.
    const g = fileObject();
    g.maps.velocity.weights[0].shape = [1000, 1000];
    g.maps.velocity.weights[1].shape = [1000, 1000];
    expect(messageOf(g, { maxWeightBytes: 6_000_000 })).toBe(
      'model.json: maps.velocity.weights[1].shape: the declared weights total more than 6000000 bytes (the maxWeightBytes limit)',
    );
  });

  it('refuses weights shorter or longer than declared', () => {
    const f = fileObject();
    f.maps.velocity.weights[0].data = encodeFloat32Base64(new Float32Array(5));
    expect(messageOf(f)).toBe(
      'model.json: maps.velocity.weights[0].data: base64: 28 characters, expected 32 for 6 float32 values (24 bytes)',
    );
    f.maps.velocity.weights[0].data = encodeFloat32Base64(new Float32Array(7));
    expect(messageOf(f)).toBe(
      'model.json: maps.velocity.weights[0].data: base64: 40 characters, expected 32 for 6 float32 values (24 bytes)',
    );
  });

  it('refuses bad base64, a wrong dtype and non-finite weights', () => {
    const f = fileObject();
    f.maps.velocity.weights[1].data = 'AAAA*AAAAAA=';
    expect(messageOf(f)).toBe('model.json: maps.velocity.weights[1].data: base64: invalid character "*" at position 4');
    const g = fileObject();
    g.maps.velocity.weights[1].dtype = 'float64';
    expect(messageOf(g)).toBe('model.json: maps.velocity.weights[1].dtype: expected "float32", got "float64"');
    const h = fileObject();
    h.maps.velocity.weights[0].data = encodeFloat32Base64(new Float32Array([0, 0, NaN, 0, 0, 0]));
    expect(messageOf(h)).toBe('model.json: maps.velocity.weights[0]: value at index [1, 0] is NaN (weights must be finite)');
    h.maps.velocity.weights[0].data = encodeFloat32Base64(new Float32Array([0, 0, 0, 0, 0, -Infinity]));
    expect(messageOf(h)).toBe('model.json: maps.velocity.weights[0]: value at index [2, 1] is -Infinity (weights must be finite)');
  });

  it('refuses __proto__, constructor and prototype keys anywhere, and pollutes nothing', () => {
    const json = encodeModelFile(sample()).json;
    const top = json.replace('"format"', '"__proto__": {"polluted": true},\n  "format"');
    expect(messageOf(top)).toBe('model.json: __proto__: the key "__proto__" is not allowed');
    const inOptions = json.replace('"sigma": 0.1', '"sigma": 0.1, "deep": {"__proto__": {"polluted": true}}');
    expect(messageOf(inOptions)).toBe('model.json: options.deep.__proto__: the key "__proto__" is not allowed');
    const inExtra = json.replace('"flag": true', '"flag": {"constructor": {"prototype": {"polluted": true}}}');
    expect(messageOf(inExtra)).toBe('model.json: extra.flag.constructor: the key "constructor" is not allowed');
    const inMapOptions = json.replace('"activation": "silu"', '"activation": "silu", "prototype": 1');
    expect(messageOf(inMapOptions)).toBe('model.json: maps.velocity.options.prototype: the key "prototype" is not allowed');
    const asRole = json.replace('"critic":', '"__proto__":');
    expect(messageOf(asRole)).toBe('model.json: maps.__proto__: the key "__proto__" is not allowed');
    const inWeight = json.replace('"name": "w"', '"name": "w", "__proto__": {"polluted": true}');
    expect(messageOf(inWeight)).toBe('model.json: maps.critic.weights[0].__proto__: the key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses options nested deeper than 32 levels, and survives absurd nesting', () => {
    const f = fileObject();
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    f.options = deep;
    expect(messageOf(f)).toMatch(/^model\.json: options(\.a){32}: nested deeper than 32 levels$/);
    const g = fileObject();
    let list: unknown = 1;
    for (let k = 0; k < 33; k++) list = [list];
    g.extra = { list };
    expect(messageOf(g)).toMatch(/^model\.json: extra\.list(\[0\]){31}: nested deeper than 32 levels$/);
    const text = encodeModelFile(sample()).json.replace('"flag": true', `"flag": ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(errorOf(text).message).toMatch(/^model\.json: (extra\.flag.*nested deeper than 32 levels|not valid JSON)/);
  });

  it('refuses JSON text over the length limit before parsing it', () => {
    expect(messageOf(encodeModelFile(sample()).json, { maxJsonLength: 100 })).toMatch(
      /^model\.json: the JSON text has \d+ characters, more than the limit \(100\)$/,
    );
    expect(messageOf('{"format": ')).toMatch(/^model\.json: not valid JSON: /);
  });

  it('checks format, version and the top-level fields', () => {
    const f = fileObject();
    f.version = 2;
    f.newField = 'from the future';
    expect(messageOf(f)).toBe(
      'model.json: version: the file was made by a newer pfm (model file version 2; this pfm reads up to version 1); upgrade pfm to read it',
    );
    f.version = '1';
    expect(messageOf(f)).toBe('model.json: version: expected a positive integer, got "1"');
    f.version = 1;
    expect(messageOf(f)).toBe('model.json: newField: unknown field (expected only format, version, weightsFile, method, options, dim, eventShape, condition, plugins, maps, extra, training)');
    delete f.newField;
    delete f.format;
    expect(messageOf(f)).toBe('model.json: format: missing; this is not a pfm model file (expected "format": "pfm-model")');
    expect(messageOf([1, 2])).toBe('model.json: expected a JSON object (a pfm model file), got an array');
    const g = fileObject();
    delete g.extra;
    expect(messageOf(g)).toBe('model.json: extra: missing');
  });

  it('checks ids, dim, plugins and weight names', () => {
    const edits: [(f: Record<string, any>) => void, string][] = [
      [(f) => (f.method = 'FlowMatching'), 'method: expected a kebab-case id (e.g. "flow-matching"), got "FlowMatching"'],
      [(f) => (f.maps.critic.type = 'mlp_2'), 'maps.critic.type: expected a kebab-case id (e.g. "flow-matching"), got "mlp_2"'],
      [(f) => (f.dim = 0), 'dim: expected a positive integer, got 0'],
      [(f) => (f.dim = 2.5), 'dim: expected a positive integer, got 2.5'],
      [(f) => (f.plugins[1].name = '@pfm/flows'), 'plugins[1].name: plugin "@pfm/flows" is listed twice'],
      [(f) => (f.plugins[0].code = 'x'), 'plugins[0].code: unknown field (expected only name, version)'],
      [(f) => (f.maps.velocity.weights[1].name = '0:dense/kernel'), 'maps.velocity.weights[1].name: duplicate weight name "0:dense/kernel" in this map'],
      [(f) => (f.maps.velocity.weights[1].name = ''), 'maps.velocity.weights[1].name: expected a non-empty string of at most 256 characters without control characters, got ""'],
      [(f) => (f.maps['bad role'] = f.maps.critic), 'maps["bad role"]: map role "bad role" must start with a letter and hold only letters, digits, "-" and "_" (at most 64)'],
      [(f) => (f.maps.critic.weights[0].offset = 0), 'maps.critic.weights[0].offset: unknown field (expected only name, shape, dtype, data)'],
      [(f) => (f.options = [1]), 'options: expected a plain JSON object, got [1]'],
    ];
    for (const [edit, expected] of edits) {
      const f = fileObject();
      edit(f);
      expect(messageOf(f)).toBe(`model.json: ${expected}`);
    }
  });

  it('checks binary ranges: inside the binary, the right length, no overlaps', () => {
    const { json, binary } = encodeModelFile(sample(), { weights: 'binary', weightsFileName: 'model.bin' });
    const base = () => JSON.parse(json) as Record<string, any>;
    expect(messageOf(json)).toBe('model.json: weightsFile: the weights are in "model.bin"; its bytes are needed to read this model');
    expect(messageOf(json, { binary: binary!.subarray(0, 40) })).toBe(
      'model.json: maps.critic.weights[0].offset: bytes 36..44 lie outside the weights file (40 bytes)',
    );
    const f = base();
    f.maps.velocity.weights[1].length = 12;
    expect(messageOf(f, { binary })).toBe(
      'model.json: maps.velocity.weights[1].length: expected 8 bytes (4 · 2 values of shape [2]), got 12',
    );
    const g = base();
    g.maps.critic.weights[0].offset = 20;
    expect(messageOf(g, { binary })).toBe('model.json: maps.critic.weights[0].offset: bytes overlap those of maps.velocity.weights[0]');
    const h = base();
    h.maps.velocity.weights[0].offset = -4;
    expect(messageOf(h, { binary })).toBe(
      'model.json: maps.velocity.weights[0].offset: expected a non-negative integer byte offset, got -4',
    );
    const i = base();
    i.maps.velocity.weights[0].data = 'AAAA';
    expect(messageOf(i, { binary })).toBe(
      'model.json: maps.velocity.weights[0].data: unknown field (expected only name, shape, dtype, offset, length)',
    );
  });

  it('refuses a weightsFile that is not a plain file name', () => {
    const { json, binary } = encodeModelFile(sample(), { weights: 'binary', weightsFileName: 'model.bin' });
    for (const name of ['../model.bin', 'sub/model.bin', '..\\model.bin', '/etc/passwd', 'C:model.bin', '..', '']) {
      const f = JSON.parse(json) as Record<string, any>;
      f.weightsFile = name;
      expect(messageOf(f, { binary })).toBe(
        `model.json: weightsFile: expected a plain file name in the model's directory (no "/", "\\", ":" or ".."), got ${JSON.stringify(name)}`,
      );
    }
  });
});

describe('encodeModelFile checks its input', () => {
  const messageOfEncode = (edit: (c: ModelFileContent) => void, options: Parameters<typeof encodeModelFile>[1] = {}) => {
    const content = sample();
    edit(content);
    try {
      encodeModelFile(content, { source: 'out.json', ...options });
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFileError);
      return (error as Error).message;
    }
    throw new Error('expected a ModelFileError');
  };

  it('names the field of every bad input', () => {
    expect(messageOfEncode((c) => (c.maps.velocity!.weights[0]!.values = new Float32Array(5)))).toBe(
      'out.json: maps.velocity.weights[0].values: has 5 values but shape [3,2] needs 6',
    );
    expect(messageOfEncode((c) => (c.maps.velocity!.weights[1]!.values = new Float32Array([1, NaN])))).toBe(
      'out.json: maps.velocity.weights[1].values: value at index [1] is NaN (weights must be finite)',
    );
    expect(messageOfEncode((c) => (c.training = { finalLoss: NaN }))).toBe(
      'out.json: training.finalLoss: expected a finite number, got NaN (JSON has no NaN or Infinity)',
    );
    expect(messageOfEncode((c) => (c.options = { when: new Date(0) }))).toBe(
      'out.json: options.when: expected a plain JSON object, got a Date object',
    );
    expect(messageOfEncode((c) => (c.extra = { f: () => 1 }))).toBe('out.json: extra.f: expected a JSON value, got a function');
    expect(messageOfEncode((c) => (c.method = 'Flow'))).toBe(
      'out.json: method: expected a kebab-case id (e.g. "flow-matching"), got "Flow"',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(messageOfEncode((c) => (c.extra = cyclic))).toMatch(/^out\.json: extra(\.self){32}: nested deeper than 32 levels$/);
    expect(messageOfEncode(() => undefined, { weights: 'binary', weightsFileName: '../x.bin' })).toMatch(
      /^out\.json: weightsFile: expected a plain file name/,
    );
    expect(messageOfEncode(() => undefined, { maxWeightBytes: 16 })).toBe(
      'out.json: maps.velocity.weights[0].shape: shape [3,2] holds more than 4 values (16 bytes, the maxWeightBytes limit)',
    );
  });
});
