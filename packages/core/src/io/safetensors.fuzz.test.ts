// Property tests and hostile cases of the safetensors reader (fast-check, fixed seeds): any input
// is either read back exactly or refused with a SafetensorsError naming the file, and nothing
// larger than the input is allocated before the header is checked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModelFile } from './decode-model-file.js';
import { encodeModelFile } from './encode-model-file.js';
import { applyMutations, float32, fuzzHere, fuzzParameters, mutation, textJunk } from './fuzz-support.js';
import { ModelFileError } from './model-file-error.js';
import { SAFETENSORS_DTYPE_BYTES, type SafetensorsContent, type SafetensorsDtype } from './safetensors.js';
import { decodeSafetensors } from './safetensors-decode.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { SafetensorsError } from './safetensors-error.js';
import { safetensorsFromFloat32 } from './safetensors-float32.js';

const dtypes = Object.keys(SAFETENSORS_DTYPE_BYTES) as SafetensorsDtype[];

// Any dtype with random bytes, or F32 from finite floats; unique names (any text but the metadata key).
const tensor = fc.oneof(
  fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) }).chain(({ name, shape }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.array(float32, { minLength: count, maxLength: count }).map((v) => safetensorsFromFloat32(name, shape, new Float32Array(v)));
  }),
  fc
    .record({ name: fc.string({ minLength: 1, maxLength: 10 }), dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) })
    .chain(({ name, dtype, shape }) => {
      const size = shape.reduce((a, b) => a * b, SAFETENSORS_DTYPE_BYTES[dtype]);
      return fc.uint8Array({ minLength: size, maxLength: size }).map((data) => ({ name, dtype, shape, data }));
    }),
);
const content: fc.Arbitrary<SafetensorsContent> = fc.record({
  tensors: fc.uniqueArray(tensor, { maxLength: 5, selector: (t) => t.name }).map((ts) => ts.filter((t) => t.name !== '__metadata__')),
  metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
});

function plain(c: SafetensorsContent): unknown {
  const metadata = Object.entries(c.metadata).sort(([a], [b]) => (a < b ? -1 : 1));
  const tensors = c.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: Array.from(t.data) }));
  return { metadata, tensors: tensors.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

// Runs `run`; a throw must be a SafetensorsError whose message starts with its source.
function readsOrRefuses(run: () => SafetensorsContent): SafetensorsContent | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    expect(error.message.startsWith(`${error.source}: `)).toBe(true);
    return undefined;
  }
}

// A decoded file is self-consistent: sizes match shapes and the tensors tile the data.
function expectConsistent(bytes: Uint8Array, c: SafetensorsContent): void {
  const total = c.tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  expect(total).toBe(bytes.length - 8 - headerLength);
  for (const t of c.tensors) expect(t.data.byteLength).toBe(t.shape.reduce((a, b) => a * b, SAFETENSORS_DTYPE_BYTES[t.dtype]));
}

// Records the largest typed array or buffer made while `run` runs (by the global constructors).
function largestAllocation(run: () => void): number {
  let largest = 0;
  const names = ['Float32Array', 'Float64Array', 'Uint8Array', 'Uint32Array', 'ArrayBuffer'] as const;
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

function withHeader(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe.skipIf(!fuzzHere)('safetensors under fuzzing', () => {
  it('round trip: any valid content comes back exactly, its tensors in the order of their bytes', () => {
    fc.assert(
      fc.property(content, (c) => {
        const bytes = encodeSafetensors(c);
        const back = decodeSafetensors(bytes);
        expect(plain(back)).toEqual(plain(c));
        const nonEmpty = (x: SafetensorsContent) => x.tensors.filter((t) => t.data.byteLength > 0).map((t) => t.name);
        expect(nonEmpty(back)).toEqual(nonEmpty(c));
      }),
      fuzzParameters(301, 300),
    );
  });

  it('mutated files (header and data): read consistently or refused with a SafetensorsError', () => {
    const junk = fc.oneof(textJunk, fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(content, fc.array(mutation(junk), { minLength: 1, maxLength: 4 }), (c, ms) => {
        const bytes = applyMutations(encodeSafetensors(c), ms);
        const back = readsOrRefuses(() => decodeSafetensors(bytes, { source: 'w.safetensors' }));
        if (back) expectConsistent(bytes, back);
      }),
      fuzzParameters(302, 600),
    );
  });

  it('hostile numbers in any header field: refused before anything their size is allocated', () => {
    const hostile = [-1, 1.5, 1e12, 2 ** 53, 2 ** 64, -0, '8', null, [], [1e9, 1e9], [1e6, 1e6, 1e6], [0, 2 ** 40], [2 ** 31, 2 ** 31 + 4]];
    fc.assert(
      fc.property(content.filter((c) => c.tensors.length > 0), fc.nat(), fc.constantFrom('dtype', 'shape', 'data_offsets'), fc.nat({ max: hostile.length - 1 }), (c, pick, field, h) => {
        const bytes = encodeSafetensors(c);
        const headerLength = new DataView(bytes.buffer).getUint32(0, true);
        const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, Record<string, unknown>>;
        const names = Object.keys(header).filter((k) => k !== '__metadata__');
        header[names[pick % names.length]!]![field] = hostile[h];
        const mutated = withHeader(JSON.stringify(header), bytes.subarray(8 + headerLength));
        let back: SafetensorsContent | undefined;
        const largest = largestAllocation(() => (back = readsOrRefuses(() => decodeSafetensors(mutated, { source: 'w.safetensors' }))));
        expect(largest).toBeLessThanOrEqual(mutated.length + 64);
        if (back) expectConsistent(mutated, back);
      }),
      fuzzParameters(303, 400),
    );
  });

  it('a model file whose side .safetensors file is mutated: finite weights of the declared shapes, or a ModelFileError naming weightsFile or a weight', () => {
    const weights = fc.array(fc.array(float32, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(weights, fc.array(mutation(fc.oneof(textJunk, fc.integer({ min: 0, max: 255 }))), { minLength: 1, maxLength: 3 }), (ws, ms) => {
        const content = {
          method: 'mmd',
          options: {},
          dim: 1,
          plugins: [],
          maps: { generator: { type: 'mlp', options: {}, weights: ws.map((v, i) => ({ name: `w${i}`, shape: [v.length], values: new Float32Array(v) })) } },
          extra: {},
        };
        const encoded = encodeModelFile(content, { weights: 'safetensors', weightsFileName: 'm.safetensors' });
        const binary = applyMutations(encoded.binary!, ms);
        try {
          const back = decodeModelFile(encoded.json, { binary, source: 'm.json' });
          back.maps.generator!.weights.forEach((w, i) => {
            expect(w.shape).toEqual([ws[i]!.length]);
            expect(w.values.every((v) => Number.isFinite(v))).toBe(true);
          });
        } catch (error) {
          if (!(error instanceof ModelFileError)) throw error;
          expect(error.message).toMatch(/^m\.json: (weightsFile|maps\.generator\.weights\[\d+\](\.tensor)?): /);
        }
      }),
      fuzzParameters(305, 400),
    );
  });

  it('header lengths past the file or the limit are refused without reading the header', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 40 }), (low, high, rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        const view = new DataView(bytes.buffer);
        view.setUint32(0, low, true);
        view.setUint32(4, high, true);
        bytes.set(rest, 8);
        const largest = largestAllocation(() => readsOrRefuses(() => decodeSafetensors(bytes, { source: 'w.safetensors' })));
        expect(largest).toBeLessThanOrEqual(bytes.length + 64);
        if (high !== 0 || low > rest.length) {
          expect(() => decodeSafetensors(bytes, { source: 'w.safetensors' })).toThrow(/^w\.safetensors: header length: declares \d+ bytes, /);
        }
      }),
      fuzzParameters(304, 300),
    );
  });
});
