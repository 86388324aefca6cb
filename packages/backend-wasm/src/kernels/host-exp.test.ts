import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-elementwise-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { EXP_FRACTION, EXP_POW2, fastExp, fastExpm1 } from './fast-exp.js';

// Two float32 ulps relative (2^-22): both backends round e^x to float32 (cpu from Math.exp), and
// fastExp is within 1 ulp of the correctly rounded value.
const TWO_ULPS = 2 ** -22;

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);
/** The position of a float32 on the number line of float32s (−0 and +0 both 0). */
function ordinal(value: number): number {
  asFloat[0] = value;
  const b = bits[0] as number;
  return b < 0 ? -(b & 0x7fffffff) : b;
}
function ulpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0; // ±Infinity, ±0
  return Math.abs(ordinal(a) - ordinal(b));
}

/** A dense grid over the whole finite range of e^x in float32, then random float32 bit patterns of |x| < 110. */
function accuracyGrid(): Float32Array {
  const dense = 1 << 19;
  const values: number[] = [];
  for (let i = 0; i < dense; i++) values.push(-105 + (195 * i) / (dense - 1)); // step 3.7e-4
  let state = 12345;
  while (values.length < dense + 65536) {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    bits[0] = state;
    const x = asFloat[0] as number;
    if (Math.abs(x) < 110) values.push(x); // mostly tiny |x|, where e^x is near 1
  }
  return Float32Array.from(values);
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 1e-45, 88.72283, 88.7229, 89, 100, -87.3, -87.34, -100, -103.9, -103.98, -104, -110, -1e30];

describe('Exp on wasm (host kernel: table range reduction)', () => {
  it('is within 1 ulp of Math.exp rounded to float32 over a dense grid of the whole range, and correctly rounded almost everywhere', async () => {
    const grid = accuracyGrid();
    const projectBackend = tf.getBackend();
    let got: Float32Array;
    try {
      await wasm().init();
      const y = tf.tidy(() => tf.exp(tf.tensor1d(grid, 'float32')));
      got = (await y.data()) as Float32Array;
      y.dispose();
    } finally {
      await tf.setBackend(projectBackend);
    }
    let worst = 0;
    let worstAt = 0;
    let inexact = 0;
    grid.forEach((x, i) => {
      const d = ulpsApart(got[i] as number, Math.fround(Math.exp(x)));
      if (d > 0) inexact++;
      if (d > worst) [worst, worstAt] = [d, x];
    });
    expect(worst, `worst at x = ${worstAt}`).toBeLessThanOrEqual(1);
    // The float64 value is 1.3e-12 from e^x: only e^x that close to a float32 rounding midpoint
    // can round the other way (measured: none of these points; 1 in 620 000 on a grid of another step).
    expect(inexact / grid.length).toBeLessThan(1e-4);
  });

  it('overflows to +Infinity above ln FLT_MAX, underflows through subnormals to 0, NaN → NaN, −Infinity → 0, as cpu', async () => {
    const results = await onCpuAndWasm(() => tf.exp(tf.tensor1d(SPECIAL, 'float32')));
    expectElementwise(results, ['special values'], TWO_ULPS);
    const values = results.wasm[0]?.values as number[];
    expect(values.slice(0, 3)).toEqual([NaN, Infinity, 0]);
    expect(values[SPECIAL.indexOf(88.7229)]).toBe(Infinity); // Math.fround(88.7229) > ln FLT_MAX
    expect(values[SPECIAL.indexOf(88.72283)]).toBeLessThan(Infinity);
    expect(values[SPECIAL.indexOf(-100)]).toBeGreaterThan(0); // subnormal, kept
    expect(values[SPECIAL.indexOf(-104)]).toBe(0);
  });

  it('matches cpu on float32, int32 and bool inputs of many shapes, empty ones included (the output is float32)', async () => {
    const shapes = [[], [1], [7], [3, 4], [2, 3, 5], [0], [0, 3], [2, 0, 4]];
    const results = await onCpuAndWasm(() =>
      shapes.flatMap((shape) => {
        const x = tf.mul(wave(shape, 0.3), 12);
        return [tf.exp(x), tf.exp(tf.cast(x, 'int32')), tf.exp(tf.greater(x, 0))];
      }),
    );
    const labels = shapes.flatMap((s) => [`[${s}] float32`, `[${s}] int32`, `[${s}] bool (stock: garbage)`]);
    expectElementwise(results, labels, TWO_ULPS);
  });

  it('the gradient of tf.exp (dy·e^x) matches cpu', async () => {
    const results = await onCpuAndWasm(() => {
      const w = wave([6, 5], 1.1);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.exp(x), w)))(tf.mul(wave([6, 5], 0.2), 4));
    });
    expectAgreement(results, ['d/dx sum(w·e^x)'], TWO_ULPS * 4);
  });

  it('fastExpm1 keeps its relative accuracy down to tiny |x| (where e^x − 1 would cancel)', () => {
    let worst = 0;
    for (let e = -40; e <= 2; e += 0.01) {
      for (const sign of [-1, 1]) {
        const x = Math.fround(sign * 10 ** e);
        if (x > 88) continue;
        const reference = Math.expm1(x);
        worst = Math.max(worst, Math.abs(fastExpm1(x, EXP_POW2, EXP_FRACTION) - reference) / Math.abs(reference));
      }
    }
    expect(worst).toBeLessThan(1e-9);
    expect(fastExpm1(-Infinity, EXP_POW2, EXP_FRACTION)).toBe(-1);
    expect(fastExpm1(NaN, EXP_POW2, EXP_FRACTION)).toBeNaN();
    // And the plain exponential of the same reduction, at a point off the grid: within 2e-12.
    expect(Math.abs(fastExp(-3.3, EXP_POW2, EXP_FRACTION) / Math.exp(-3.3) - 1)).toBeLessThan(2e-12);
  });
});
