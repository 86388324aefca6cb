// Property tests and hostile cases of the model-file loader (fast-check, fixed seeds): any input
// is either read back exactly or refused with a ModelFileError naming the field, before anything
// large is allocated; nothing in a file reaches Object.prototype or loads code.
import fc from 'fast-check';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corePlugin } from '../maps/core-plugin.js';
import { modelFromContent } from '../model/model-content.js';
import { createRegistry, RegistryError } from '../registry/registry.js';
import { encodeFloat32Base64 } from './base64.js';
import { decodeModelFile } from './decode-model-file.js';
import { encodeModelFile } from './encode-model-file.js';
import { applyMutations, float32, fuzzHere, fuzzParameters, mutation, textJunk } from './fuzz-support.js';
import type { ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { readModelFile } from './read-model-file.js';

const FORBIDDEN = /"(__proto__|constructor|prototype)"/;

// Plain JSON objects without forbidden keys, -0 or deep nesting (the writer refuses those).
const jsonObject = fc
  .json({ maxDepth: 3 })
  .map((t) => JSON.parse(t) as unknown)
  .map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v }))
  .filter((v) => !FORBIDDEN.test(JSON.stringify(v))) as fc.Arbitrary<Record<string, unknown>>;
const kebab = fc.stringMatching(/^[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}$/);
// No ASCII control characters (the format refuses them in labels).
const printable = (s: string) => Array.from(s).every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
const label = fc.string({ minLength: 1, maxLength: 12 }).filter(printable);
const weight = fc
  .array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })
  .chain((shape) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.record({
      name: label,
      shape: fc.constant(shape),
      values: fc.array(float32, { minLength: count, maxLength: count }).map((v) => new Float32Array(v)),
    });
  });
const content: fc.Arbitrary<ModelFileContent> = fc.record({
  method: kebab,
  options: jsonObject,
  dim: fc.integer({ min: 1, max: 64 }),
  plugins: fc.uniqueArray(fc.record({ name: label, version: fc.string({ maxLength: 8 }).filter(printable) }), {
    maxLength: 3,
    selector: (p) => p.name,
  }),
  maps: fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/).filter((r) => !['constructor', 'prototype'].includes(r)),
    fc.record({ type: kebab, options: jsonObject, weights: fc.uniqueArray(weight, { maxLength: 4, selector: (w) => w.name }) }),
    { maxKeys: 3 },
  ),
  extra: jsonObject,
});

// Float32Arrays as bit-exact lists, so -0 and 0 differ.
function plain(c: ModelFileContent): unknown {
  return JSON.parse(
    JSON.stringify(c, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v, (x) => (Object.is(x, -0) ? '-0' : x)) : v)),
  );
}

// Runs `run`; a throw must be a ModelFileError.
function readsOrRefuses(run: () => ModelFileContent): ModelFileContent | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    expect(error.message.startsWith(`${error.source}: `)).toBe(true);
    return undefined;
  }
}

// Every weight that loads has prod(shape) finite values.
function expectConsistent(c: ModelFileContent): void {
  for (const map of Object.values(c.maps)) {
    for (const w of map.weights) {
      expect(w.values.length).toBe(w.shape.reduce((a, b) => a * b, 1));
      expect(w.values.every((v) => Number.isFinite(v))).toBe(true);
    }
  }
}

// Every path (list of keys) to a node of a parsed JSON value.
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

// Values a hostile file puts in any field.
function hostileValues(): unknown[] {
  let deep: unknown = 0;
  for (let i = 0; i < 200; i++) deep = [deep];
  return [null, -1, 0, 1.5, 1e12, 2 ** 53, -0, 'x', '', 'A'.repeat(300), [], {}, [1e6, 1e6, 1e6], [1e12], deep, true, 'float64', '../x', [-1]];
}

// Records the largest typed array or buffer made while `run` runs (by the global constructors).
function largestAllocation(run: () => void): number {
  let largest = 0;
  const names = ['Float32Array', 'Float64Array', 'Uint8Array', 'ArrayBuffer'] as const;
  const originals = names.map((n) => globalThis[n]);
  names.forEach((name, i) => {
    const original = originals[i] as unknown as new (...args: unknown[]) => object;
    (globalThis as Record<string, unknown>)[name] = new Proxy(original, {
      construct(target, args: unknown[], newTarget) {
        if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
        return Reflect.construct(target, args, newTarget === undefined ? target : (newTarget as typeof target)) as object;
      },
    });
  });
  try {
    run();
  } finally {
    names.forEach((name, i) => ((globalThis as Record<string, unknown>)[name] = originals[i]));
  }
  return largest;
}

function sample(): ModelFileContent {
  return {
    method: 'mmd',
    options: { bandwidth: 0.5 },
    dim: 2,
    plugins: [{ name: '@pfm/ipm', version: '0.1.0' }],
    maps: {
      generator: {
        type: 'mlp',
        options: { inputDim: 2, outputDim: 2, hidden: [] },
        weights: [
          { name: 'kernel', shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) },
          { name: 'bias', shape: [2], values: new Float32Array([-1, 0.5]) },
        ],
      },
    },
    extra: {},
  };
}

function errorOf(run: () => unknown): ModelFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError');
}

describe.skipIf(!fuzzHere)('model files under fuzzing', () => {
  it('round trip: any valid content comes back exactly, inline and with a side binary', () => {
    fc.assert(
      fc.property(content, fc.boolean(), (c, binary) => {
        const encoded = encodeModelFile(c, { weights: binary ? 'binary' : 'inline' });
        const back = decodeModelFile(encoded.json, encoded.binary ? { binary: encoded.binary } : {});
        expect(plain(back)).toEqual(plain(c));
      }),
      fuzzParameters(201, 200),
    );
  });

  it('mutated JSON text: read back consistently or refused with a ModelFileError', () => {
    fc.assert(
      fc.property(content, fc.array(mutation(textJunk), { minLength: 1, maxLength: 4 }), (c, ms) => {
        const json = new TextDecoder().decode(applyMutations(new TextEncoder().encode(encodeModelFile(c).json), ms));
        const back = readsOrRefuses(() => decodeModelFile(json, { source: 'm.json' }));
        if (back) expectConsistent(back);
      }),
      fuzzParameters(202, 500),
    );
  });

  it('mutated side binary: a changed length is always refused, flipped bytes give finite weights or an error', () => {
    fc.assert(
      fc.property(content, fc.array(mutation(fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (c, ms) => {
        const encoded = encodeModelFile(c, { weights: 'binary' });
        const binary = applyMutations(encoded.binary as Uint8Array, ms);
        const back = readsOrRefuses(() => decodeModelFile(encoded.json, { binary, source: 'm.json' }));
        if (back === undefined) return;
        expect(binary.length).toBe((encoded.binary as Uint8Array).length);
        expectConsistent(back);
      }),
      fuzzParameters(203, 500),
    );
  });

  it('hostile values and keys put anywhere in a valid file: refused with a ModelFileError or read consistently', () => {
    const hostile = hostileValues();
    const keys = ['__proto__', 'constructor', 'prototype', 'evil', ''];
    fc.assert(
      fc.property(
        content,
        fc.nat(),
        fc.nat({ max: hostile.length - 1 }),
        fc.option(fc.constantFrom(...keys), { nil: undefined }),
        (c, pick, valueIndex, key) => {
          const file = JSON.parse(encodeModelFile(c).json) as Record<string, unknown>;
          const paths = pathsOf(file).filter((p) => p.length > 0);
          const path = paths[pick % paths.length] as (string | number)[];
          let parent: Record<string | number, unknown> = file;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          const last = path[path.length - 1] as string | number;
          if (key !== undefined && typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last])) {
            // An own property, as JSON.parse makes it (assignment would set the prototype instead).
            Object.defineProperty(parent[last], key, { value: hostile[valueIndex], enumerable: true });
          } else {
            parent[last] = hostile[valueIndex];
          }
          const back = readsOrRefuses(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' }));
          if (back) expectConsistent(back);
          expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      fuzzParameters(204, 500),
    );
  });
});

describe('model files: hostile files are refused before any large allocation', () => {
  const inline = () => JSON.parse(encodeModelFile(sample()).json) as { maps: { generator: { weights: Record<string, unknown>[] } } };

  it('declared shapes of 10^12 and 10^18 values: refused at once, nothing over a few KB allocated', () => {
    for (const shape of [[1e6, 1e6], [1e6, 1e6, 1e6], [2 ** 26, 2 ** 26]]) {
      const file = inline();
      file.maps.generator.weights[0]!.shape = shape;
      let error: ModelFileError | undefined;
      const started = performance.now();
      const largest = largestAllocation(() => {
        error = errorOf(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' }));
      });
      expect(error?.path).toBe('maps.generator.weights[0].shape');
      expect(error?.message).toMatch(/holds more than 536870912 values/);
      expect(largest).toBeLessThan(4096);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('a shape within the limit but far more than the data holds: refused before decoding', () => {
    const file = inline();
    file.maps.generator.weights[0]!.shape = [10_000, 10_000];
    const largest = largestAllocation(() => {
      const error = errorOf(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' }));
      expect(error.message).toBe(
        'm.json: maps.generator.weights[0].data: base64: 24 characters, expected 533333336 for 100000000 float32 values (400000000 bytes)',
      );
    });
    expect(largest).toBeLessThan(4096);
    // The same with a side binary: the declared range lies outside the file.
    const encoded = encodeModelFile(sample(), { weights: 'binary' });
    const binaryFile = JSON.parse(encoded.json) as { maps: { generator: { weights: Record<string, unknown>[] } } };
    binaryFile.maps.generator.weights[0]!.shape = [10_000, 10_000];
    binaryFile.maps.generator.weights[0]!.length = 400_000_000;
    const largestBinary = largestAllocation(() => {
      const error = errorOf(() => decodeModelFile(JSON.stringify(binaryFile), { binary: encoded.binary, source: 'm.json' }));
      expect(error.message).toBe('m.json: maps.generator.weights[0].offset: bytes 0..400000000 lie outside the weights file (24 bytes)');
    });
    expect(largestBinary).toBeLessThan(4096);
  });

  it('a side binary longer than the weights declare is refused (no unread trailing bytes)', () => {
    const encoded = encodeModelFile(sample(), { weights: 'binary' });
    const longer = new Uint8Array(encoded.binary!.length + 4);
    longer.set(encoded.binary!);
    const error = errorOf(() => decodeModelFile(encoded.json, { binary: longer, source: 'm.json' }));
    expect(error.message).toBe('m.json: weightsFile: the weights file has 28 bytes but the weights declare 24 (extra bytes no weight reads)');
    const shorter = encoded.binary!.subarray(0, 20);
    expect(errorOf(() => decodeModelFile(encoded.json, { binary: shorter, source: 'm.json' })).message).toBe(
      'm.json: maps.generator.weights[1].offset: bytes 16..24 lie outside the weights file (20 bytes)',
    );
  });

  it('wrong dtypes are refused at the dtype field', () => {
    for (const dtype of ['float64', 'int32', 'float16', '<f4', null, 32]) {
      const file = inline();
      file.maps.generator.weights[1]!.dtype = dtype;
      expect(errorOf(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' })).path).toBe('maps.generator.weights[1].dtype');
    }
    // A float64 payload under "float32" has twice the bytes: refused by length.
    const file = inline();
    file.maps.generator.weights[1]!.data = encodeFloat32Base64(new Float32Array(4));
    expect(errorOf(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' })).path).toBe('maps.generator.weights[1].data');
  });

  it('JSON nested 100,000 deep, or a JSON.parse that overflows the stack, gives a ModelFileError', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(errorOf(() => decodeModelFile(deep, { source: 'm.json' })).message).toBe(
      'm.json: expected a JSON object (a pfm model file), got an array',
    );
    const json = encodeModelFile(sample()).json.replace('"bandwidth": 0.5', `"bandwidth": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
    expect(errorOf(() => decodeModelFile(json, { source: 'm.json' })).message).toMatch(/^m\.json: options\.bandwidth(\.a){31}: nested deeper than 32 levels$/);
    const parse = JSON.parse;
    JSON.parse = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    try {
      expect(errorOf(() => decodeModelFile(deep, { source: 'm.json' })).message).toBe(
        'm.json: not valid JSON: Maximum call stack size exceeded',
      );
    } finally {
      JSON.parse = parse;
    }
  });

  it('ids that are not kebab-case are refused; unknown objective, map and plugin ids fail in the registry with the known ids', () => {
    for (const method of ['../evil', 'file:///tmp/x.js', 'Flow', '']) {
      const file = JSON.parse(encodeModelFile(sample()).json) as Record<string, unknown>;
      file.method = method;
      expect(errorOf(() => decodeModelFile(JSON.stringify(file), { source: 'm.json' })).path).toBe('method');
    }
    const registry = createRegistry({ plugins: [corePlugin] });
    // A plugin name is only a label: "./evil.js" is read as text and never imported.
    const unknownObjective = { ...sample(), plugins: [{ name: './evil.js', version: '1' }] };
    const decoded = decodeModelFile(encodeModelFile(unknownObjective).json, { source: 'm.json' });
    expect(decoded.plugins).toEqual([{ name: './evil.js', version: '1' }]);
    expect(() => modelFromContent(decoded, registry, 'm.json')).toThrow(RegistryError);
    expect(() => modelFromContent(decoded, registry, 'm.json')).toThrow(/"mmd"/);
    const unknownMap = sample();
    unknownMap.maps.generator!.type = 'evil-map';
    const registryWithObjective = createRegistry({
      plugins: [
        corePlugin,
        {
          name: 'toy',
          version: '1',
          entries: [
            {
              kind: 'objective',
              id: 'mmd',
              description: 'test objective',
              schema: z.object({ bandwidth: z.number() }),
              create: () => {
                throw new Error('not used');
              },
              load: () => {
                throw new Error('load must not be reached');
              },
            } as never,
          ],
        },
      ],
    });
    let message = '';
    try {
      modelFromContent(decodeModelFile(encodeModelFile(unknownMap).json), registryWithObjective, 'm.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/evil-map/);
    expect(message).toMatch(/mlp/);
  });

  it.skipIf(process.platform === 'win32')('a model file or weights file that is a device is refused without reading it', async () => {
    // (Devices have no size to check in advance: reading /dev/zero would never end.)
    const dir = await mkdtemp(join(tmpdir(), 'pfm-io-hostile-'));
    try {
      await symlink('/dev/zero', join(dir, 'model.json'));
      expect((await readModelFileError(join(dir, 'model.json'))).message).toBe(
        `${join(dir, 'model.json')}: the file is not a regular file (a device, pipe or socket)`,
      );
      const encoded = encodeModelFile(sample(), { weights: 'binary', weightsFileName: 'w.bin' });
      await writeFile(join(dir, 'm.json'), encoded.json);
      await symlink('/dev/zero', join(dir, 'w.bin'));
      expect((await readModelFileError(join(dir, 'm.json'))).path).toBe('weightsFile');
      // Bytes that are not UTF-8 are refused, not replaced by U+FFFD.
      await writeFile(join(dir, 'latin.json'), new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
      expect((await readModelFileError(join(dir, 'latin.json'))).message).toBe(`${join(dir, 'latin.json')}: not UTF-8 text`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function readModelFileError(path: string): Promise<ModelFileError> {
  try {
    await readModelFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError');
}
