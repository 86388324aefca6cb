// The safetensors reader and writer: the byte layout of the format, conversions of float dtypes,
// every check of a hostile header, and model files whose weights live in a side safetensors file.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModelFile } from './decode-model-file.js';
import { encodeModelFile } from './encode-model-file.js';
import type { ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { readModelFile } from './read-model-file.js';
import { decodeSafetensors } from './safetensors-decode.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { SafetensorsError } from './safetensors-error.js';
import { readSafetensorsFile, writeSafetensorsFile } from './safetensors-file.js';
import { safetensorsFromFloat32, safetensorsToFloat32 } from './safetensors-float32.js';
import { writeModelFile } from './write-model-file.js';

/** A file from its header object and data bytes, laid out by hand as the format says. */
function fileOf(header: unknown, data: number[] = [], headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const F32_ONE_TWO = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]; // 1.0, 2.0 little-endian

function messageOf(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes, { source: 'w.safetensors' });
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return (error as Error).message;
  }
  throw new Error('expected a SafetensorsError');
}

describe('safetensors', () => {
  it('reads the layout of the format: u64 header length, JSON header, little-endian data', () => {
    const bytes = fileOf({ __metadata__: { format: 'pt' }, 'net.0.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] } }, F32_ONE_TWO);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['net.0.weight', 'F32', [1, 2]]]);
    expect(Array.from(safetensorsToFloat32(tensors[0]!))).toEqual([1, 2]);
  });

  it('writes what it reads: header padded with spaces to 8 bytes, tensors in order, exact bytes back', () => {
    const a = safetensorsFromFloat32('b.weight', [2, 3], new Float32Array([1, -2, 3.5, -0, 1e-30, 6]));
    const b = safetensorsFromFloat32('a.bias', [3], new Float32Array([7, 8, 9]));
    const empty = safetensorsFromFloat32('none', [0, 4], new Float32Array(0));
    const bytes = encodeSafetensors({ tensors: [a, b, empty], metadata: { producer: 'test' } });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { data_offsets: number[] }>;
    expect(header['b.weight']!.data_offsets).toEqual([0, 24]);
    expect(header['a.bias']!.data_offsets).toEqual([24, 36]);
    expect(bytes.length).toBe(8 + headerLength + 36);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ producer: 'test' });
    expect(back.tensors.map((t) => t.name)).toEqual(['b.weight', 'a.bias', 'none']);
    expect(Array.from(safetensorsToFloat32(back.tensors[0]!), (v) => (Object.is(v, -0) ? '-0' : v))).toEqual([1, -2, 3.5, '-0', Math.fround(1e-30), 6]);
    expect(encodeSafetensors(back)).toEqual(bytes);
  });

  it('widens F16, BF16 and F64 to float32 exactly where float32 can hold the value', () => {
    const tensor = (dtype: 'F16' | 'BF16' | 'F64', data: number[]) => ({ name: 'x', dtype, shape: [data.length / (dtype === 'F64' ? 8 : 2)], data: new Uint8Array(data) });
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, 2^-24 = 0x0001 (smallest subnormal), -inf = 0xfc00.
    const half = safetensorsToFloat32(tensor('F16', [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0xfc]));
    expect(Array.from(half)).toEqual([1, -2, 65504, 2 ** -24, -Infinity]);
    // BF16: the high half of float32 1.5 (0x3fc00000) and -3 (0xc0400000).
    expect(Array.from(safetensorsToFloat32(tensor('BF16', [0xc0, 0x3f, 0x40, 0xc0])))).toEqual([1.5, -3]);
    const f64 = new Uint8Array(new Float64Array([0.1, -4]).buffer);
    expect(Array.from(safetensorsToFloat32(tensor('F64', Array.from(f64))))).toEqual([Math.fround(0.1), -4]);
    expect(() => safetensorsToFloat32({ name: 'step', dtype: 'I64', shape: [], data: new Uint8Array(8) })).toThrow(
      'tensor "step" has dtype I64; expected a floating-point tensor (F32, F16, BF16, F64)',
    );
  });

  it('refuses hostile files, naming the field, before reading any tensor', () => {
    const entry = (over: Record<string, unknown> = {}) => ({ dtype: 'F32', shape: [2], data_offsets: [0, 8], ...over });
    expect(messageOf(new Uint8Array(5))).toBe('w.safetensors: has 5 bytes, fewer than the 8 of the header length (a truncated or empty file)');
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true);
    expect(messageOf(huge)).toBe('w.safetensors: header length: declares 4294967296 bytes, more than the limit (100000000)');
    const past = fileOf({ x: entry() }, F32_ONE_TWO);
    new DataView(past.buffer).setUint32(0, 1000, true);
    expect(messageOf(past)).toMatch(/header length: declares 1000 bytes, but only \d+ follow \(a truncated file\)$/);
    expect(messageOf(fileOf(null, [], '[1]'))).toBe('w.safetensors: header: expected a JSON object starting with "{"');
    expect(messageOf(fileOf(null, [], '{"x": '))).toMatch(/^w\.safetensors: header: not valid JSON: /);
    expect(messageOf(fileOf(null, F32_ONE_TWO, `{"x": ${JSON.stringify(entry())}, "x": ${JSON.stringify(entry())}}`))).toBe(
      'w.safetensors: header: the key "x" appears twice in one object',
    );
    expect(messageOf(fileOf({ x: entry({ dtype: 'F128' }) }, F32_ONE_TWO))).toMatch(/tensors\["x"\]\.dtype: unknown dtype "F128" \(known: BOOL, U8, /);
    expect(messageOf(fileOf({ x: entry({ shape: [2, -1] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].shape: expected an array of non-negative integers, got [2,-1]',
    );
    expect(messageOf(fileOf({ x: entry({ shape: [3] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].data_offsets: span 8 bytes, but shape [3] of F32 needs 12 bytes',
    );
    expect(messageOf(fileOf({ x: entry({ shape: [1e9, 1e9, 1e9] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].data_offsets: span 8 bytes, but shape [1000000000,1000000000,1000000000] of F32 needs more than the 8 bytes of data',
    );
    expect(messageOf(fileOf({ x: entry({ data_offsets: [0, 16] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].data_offsets: bytes 0..16 lie outside the tensor data (8 bytes)',
    );
    expect(messageOf(fileOf({ x: entry({ data_offsets: [8, 0] }) }, F32_ONE_TWO))).toMatch(/data_offsets: expected \[begin, end\], integers with 0 ≤ begin ≤ end, got \[8,0\]$/);
    expect(messageOf(fileOf({ x: entry(), y: entry({ shape: [1], data_offsets: [4, 8] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["y"].data_offsets: bytes 4..8 overlap those of x',
    );
    expect(messageOf(fileOf({ x: entry({ shape: [1], data_offsets: [4, 8] }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].data_offsets: starts at byte 4, leaving bytes 0..4 of no tensor',
    );
    expect(messageOf(fileOf({ x: entry() }, [...F32_ONE_TWO, 0, 0, 0, 0]))).toBe(
      'w.safetensors: the tensors cover 8 of the 12 bytes of data (bytes no tensor reads)',
    );
    expect(messageOf(fileOf({ x: entry({ extra: 1 }) }, F32_ONE_TWO))).toBe(
      'w.safetensors: tensors["x"].extra: unknown field (expected only dtype, shape, data_offsets)',
    );
    expect(messageOf(fileOf({ __metadata__: { a: 1 }, x: entry() }, F32_ONE_TWO))).toBe('w.safetensors: __metadata__["a"]: expected a string, got 1');
    const notUtf8 = fileOf({ x: entry() }, F32_ONE_TWO);
    notUtf8[10] = 0xff;
    expect(messageOf(notUtf8)).toBe('w.safetensors: header: not UTF-8 text');
  });

  it('refuses to write what it could not read back', () => {
    const t = safetensorsFromFloat32('x', [2], new Float32Array([1, 2]));
    expect(() => encodeSafetensors({ tensors: [t, t], metadata: {} })).toThrow('safetensors: tensors["x"]: a tensor of this name is already in the file');
    expect(() => encodeSafetensors({ tensors: [{ ...t, shape: [3] }], metadata: {} })).toThrow(
      'safetensors: tensors["x"].data: has 8 bytes, but shape [3] of F32 needs 12',
    );
    expect(() => encodeSafetensors({ tensors: [{ ...t, name: '__metadata__' }], metadata: {} })).toThrow(/tensors\[0\]\.name: expected a non-empty name other than "__metadata__"/);
  });

  it('reads and writes files atomically and refuses directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pfm-safetensors-'));
    try {
      const path = join(dir, 'w.safetensors');
      await writeSafetensorsFile(path, { tensors: [safetensorsFromFloat32('w', [2], new Float32Array([3, 4]))], metadata: {} });
      expect(Array.from(safetensorsToFloat32((await readSafetensorsFile(path)).tensors[0]!))).toEqual([3, 4]);
      expect(await readdir(dir)).toEqual(['w.safetensors']);
      await expect(readSafetensorsFile(dir)).rejects.toThrow(`${dir}: is a directory, expected a .safetensors file`);
      await expect(readSafetensorsFile(join(dir, 'none.safetensors'))).rejects.toThrow('none.safetensors: does not exist');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function model(): ModelFileContent {
  return {
    method: 'flow-matching',
    options: {},
    dim: 2,
    plugins: [{ name: '@pfm/flows', version: '0.1.0' }],
    maps: {
      velocity: {
        type: 'time-mlp',
        options: { dim: 2, hidden: [] },
        weights: [
          { name: '0:layer0/kernel', shape: [3, 2], values: new Float32Array([1, 2, 3, 4, 5, 6]) },
          { name: '1:layer0/bias', shape: [2], values: new Float32Array([-1, 0.5]) },
        ],
      },
    },
    extra: {},
  };
}

function modelError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return (error as Error).message;
  }
  throw new Error('expected a ModelFileError');
}

describe('model files with a safetensors side file', () => {
  it('store each weight as an F32 tensor named <role>.<weight> and read back exactly', () => {
    const { json, binary } = encodeModelFile(model(), { weights: 'safetensors', weightsFileName: 'm.safetensors' });
    const file = JSON.parse(json) as { weightsFile: string; maps: { velocity: { weights: Record<string, unknown>[] } } };
    expect(file.weightsFile).toBe('m.safetensors');
    expect(file.maps.velocity.weights[0]).toEqual({ name: '0:layer0/kernel', shape: [3, 2], dtype: 'float32', tensor: 'velocity.layer0.kernel' });
    const tensors = decodeSafetensors(binary!).tensors;
    expect(tensors.map((t) => t.name)).toEqual(['velocity.layer0.kernel', 'velocity.layer0.bias']);
    const back = decodeModelFile(json, { binary: binary! });
    expect(Array.from(back.maps.velocity!.weights[1]!.values)).toEqual([-1, 0.5]);
    expect(() => encodeModelFile(model(), { weights: 'safetensors', weightsFileName: 'm.bin' })).toThrow(
      'model: weightsFile: "m.bin": a safetensors side file\'s name ends in ".safetensors", and only its name does',
    );
  });

  it('refuse a side file that does not match the weights, naming the tensor', () => {
    const { json, binary } = encodeModelFile(model(), { weights: 'safetensors', weightsFileName: 'm.safetensors' });
    const file = JSON.parse(json) as { maps: { velocity: { weights: Record<string, unknown>[] } } };
    const edited = (edit: (w: Record<string, unknown>[]) => void) => {
      const copy = structuredClone(file);
      edit(copy.maps.velocity.weights);
      return JSON.stringify(copy);
    };
    expect(modelError(() => decodeModelFile(edited((w) => (w[0]!.tensor = 'velocity.nope')), { binary: binary!, source: 'm.json' }))).toBe(
      'm.json: maps.velocity.weights[0].tensor: m.safetensors has no tensor "velocity.nope"',
    );
    expect(modelError(() => decodeModelFile(edited((w) => (w[1]!.tensor = 'velocity.layer0.kernel')), { binary: binary!, source: 'm.json' }))).toBe(
      'm.json: maps.velocity.weights[1].tensor: tensor "velocity.layer0.kernel" is already read by maps.velocity.weights[0]',
    );
    expect(modelError(() => decodeModelFile(edited((w) => w.pop()), { binary: binary!, source: 'm.json' }))).toBe(
      'm.json: weightsFile: m.safetensors holds tensors no weight reads: "velocity.layer0.bias"',
    );
    expect(modelError(() => decodeModelFile(edited((w) => (w[1]!.shape = [1, 2])), { binary: binary!, source: 'm.json' }))).toBe(
      'm.json: maps.velocity.weights[1].tensor: tensors["velocity.layer0.bias"] in m.safetensors has shape [2], the weight [1,2]',
    );
    expect(modelError(() => decodeModelFile(json, { binary: binary!.subarray(0, 20), source: 'm.json' }))).toMatch(
      /^m\.json: weightsFile: m\.safetensors: header length: declares \d+ bytes, but only 12 follow/,
    );
  });

  it('written beside the model file and read back by readModelFile; earlier side files are removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pfm-safetensors-model-'));
    try {
      const path = join(dir, 'fm.json');
      await writeModelFile(path, model(), { weights: 'binary' });
      await writeModelFile(path, model(), { weights: 'safetensors' });
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/^fm\.[0-9a-f]{8}\.safetensors$/);
      const back = await readModelFile(path);
      expect(Array.from(back.maps.velocity!.weights[0]!.values)).toEqual([1, 2, 3, 4, 5, 6]);
      const side = join(dir, files[0]!);
      const bytes = await readFile(side);
      await writeFile(side, bytes.subarray(0, bytes.length - 4));
      await expect(readModelFile(path)).rejects.toThrow(/weightsFile: fm\.[0-9a-f]{8}\.safetensors: tensors\["velocity\.layer0\.bias"\]\.data_offsets: bytes 24\.\.32 lie outside/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
