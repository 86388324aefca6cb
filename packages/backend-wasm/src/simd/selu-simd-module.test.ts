import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seluSimdModuleBytes } from './selu-simd-module.js';
import type { SeluSimd } from './selu-simd.js';

// The module on a memory of its own: the functions see only addresses, so this is the code the
// kernels run on the backend's heap.
function instance(): { simd: SeluSimd; heap: Float32Array } {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const simd = new WebAssembly.Instance(new WebAssembly.Module(seluSimdModuleBytes(false)), { env: { memory } }).exports as unknown as SeluSimd;
  return { simd, heap: new Float32Array(memory.buffer) };
}

/** Runs `f` over `values` as one row (bias 0) and gives back its float32 results. */
function run(f: keyof Pick<SeluSimd, 'selu' | 'expm1Negative'>, values: readonly number[]): Float32Array {
  const { simd, heap } = instance();
  heap.set(values, 16);
  simd[f](64, 0, 64 + 4 * (values.length + 16), 1, values.length);
  return heap.slice(16 + values.length + 16, 16 + 2 * values.length + 16);
}

/** The distance of `got` from the float64 `want` in float32 ulps at `want`. */
function ulps(got: number, want: number): number {
  const w = Math.fround(want);
  const ulp = Math.max(Math.abs(Math.fround(w * (1 + 2 ** -23)) - w), 2 ** -149);
  return Math.abs(got - want) / ulp;
}

const SELU_SCALE = tf.backend_util.SELU_SCALE;
const SELU_SCALEALPHA = tf.backend_util.SELU_SCALEALPHA;

describe('the SELU SIMD module', () => {
  it('validates, in both memory flavours (shared for the threaded build)', () => {
    expect(WebAssembly.validate(seluSimdModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(seluSimdModuleBytes(true))).toBe(true);
  });

  it('e^z − 1 is within 1 float32 ulp of Math.expm1 on a sweep of [−100, 0], near 0, subnormals, ±0, NaN and −Infinity', () => {
    // 400,003 points: a uniform grid of [−100, 0] (crossing −87, the clamp, and −17.33, where
    // e^z − 1 rounds to −1), then 2^-149 … 2^-1 (subnormal z included), −0, 0, NaN, −Infinity.
    const grid = Array.from({ length: 400_001 }, (_, i) => Math.fround(-100 + i / 4000));
    const tiny = Array.from({ length: 149 }, (_, i) => -Math.fround(2 ** -(i + 1)));
    const values = [...grid, ...tiny, -0, 0, NaN, -Infinity];
    const got = run('expm1Negative', values);
    let worst = 0;
    for (let i = 0; i < grid.length + tiny.length; i++) worst = Math.max(worst, ulps(got[i]!, Math.expm1(values[i]!)));
    // Measured: 0.76 ulp at worst (a relative 9.1e-8).
    expect(worst).toBeLessThanOrEqual(1);
    const n = grid.length + tiny.length;
    // ±0 both give +0 ((2^0 − 1) + 1·(±0)); selu takes λ·(−0) = −0 there, tested below.
    expect(Object.is(got[n], 0)).toBe(true);
    expect(Object.is(got[n + 1], 0)).toBe(true);
    expect(got[n + 2]).toBeNaN();
    expect(got[n + 3]).toBe(-1);
    // A subnormal z comes back itself (e^z − 1 = z to float32), not flushed to 0.
    expect(got[grid.length + 148]).toBe(-(2 ** -149));
  });

  it('selu matches λz and λα·expm1(z) within 1.5 float32 ulps, with −0 → −0, NaN → NaN, ±Infinity', () => {
    const values = [...Array.from({ length: 20_001 }, (_, i) => Math.fround(-20 + i / 500)), -0, 0, NaN, Infinity, -Infinity, -1e-30, 1e-30, 3.5];
    const got = run('selu', values);
    for (let i = 0; i < values.length; i++) {
      const z = values[i]!;
      const want = z >= 0 ? SELU_SCALE * z : SELU_SCALEALPHA * Math.expm1(z);
      if (Number.isNaN(want)) expect(got[i]).toBeNaN();
      else if (!Number.isFinite(want)) expect(got[i]).toBe(want);
      else expect(ulps(got[i]!, want), `selu(${z})`).toBeLessThanOrEqual(1.5); // measured: 1.02 at worst
    }
    expect(Object.is(got[20_001], -0)).toBe(true);
  });

  it('seluBias adds the bias row, and seluGrad gives dz, dzᵀ and db as the float64 formula over odd widths', () => {
    // Blocks of 16 rows with a partial last block, 4 × 4 tiles, and the m mod 4 and n mod 4 tails.
    for (const [n, m] of [[5, 7], [3, 8], [2, 1], [4, 64], [37, 13], [20, 64]] as const) {
      const { simd, heap } = instance();
      const x = Float32Array.from({ length: n * m }, (_, i) => Math.fround(3 * Math.sin(1.7 * i + 0.3)));
      const bias = Float32Array.from({ length: m }, (_, j) => Math.fround(0.5 * Math.cos(j)));
      const dy = Float32Array.from({ length: n * m }, (_, i) => Math.fround(Math.cos(0.9 * i)));
      // Heap layout in float32 slots: x at 1000, bias at 9000, dy at 10000, dz 20000, dzT 30000, acc 40000, db 50000.
      heap.set(x, 1000);
      heap.set(bias, 9000);
      heap.set(dy, 10000);
      simd.seluBias(4000, 36000, 4000, n, m); // in place
      const y = heap.slice(1000, 1000 + n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const z = Math.fround(x[i * m + j]! + bias[j]!);
          const want = z >= 0 ? SELU_SCALE * z : SELU_SCALEALPHA * Math.expm1(z);
          expect(ulps(y[i * m + j]!, want), `seluBias [${n}, ${m}] (${i}, ${j})`).toBeLessThanOrEqual(3);
        }
      }
      simd.seluGrad(40000, 4000, 80000, 120000, 160000, 200000, n, m);
      const dz = heap.slice(20000, 20000 + n * m);
      const dzT = heap.slice(30000, 30000 + n * m);
      const db = heap.slice(50000, 50000 + m);
      for (let j = 0; j < m; j++) {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const v = y[i * m + j]!;
          const want = dy[i * m + j]! * (v > 0 ? SELU_SCALE : v + SELU_SCALEALPHA);
          expect(ulps(dz[i * m + j]!, want), `dz [${n}, ${m}] (${i}, ${j})`).toBeLessThanOrEqual(2);
          expect(dzT[j * n + i]).toBe(dz[i * m + j]);
          sum += dz[i * m + j]!;
        }
        expect(db[j]).toBe(Math.fround(sum));
      }
      // dzT = 0: no transpose written.
      heap.fill(7, 30000, 30000 + n * m);
      simd.seluGrad(40000, 4000, 80000, 0, 160000, 200000, n, m);
      expect(Array.from(heap.slice(30000, 30000 + n * m)).every((v) => v === 7)).toBe(true);
    }
  });
});
