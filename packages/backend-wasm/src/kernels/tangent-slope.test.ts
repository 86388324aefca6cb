import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { seluSimd, setSeluSimdEnabled } from '../simd/selu-simd.js';

const ACTIVATIONS = ['linear', 'relu', 'selu'] as const;
// [n, r, w, shared]: one point, a tangent block shared by all points (the exact trace's first
// layer), the 3×64 network's hidden width with d = 2, one tangent per point (Hutchinson), w = 1.
const CASES: [number, number, number, boolean][] = [[1, 2, 5, false], [7, 2, 64, true], [7, 2, 64, false], [13, 1, 3, false], [4, 3, 1, true], [2, 2, 4, true], [33, 3, 12, false], [33, 2, 12, true], [0, 2, 3, true]];

/** U, dTangent and dValue′ of one case on the active backend. */
function tangentStep(activation: string, [n, r, w, shared]: [number, number, number, boolean], s: number): tf.Tensor[] {
  // y from the same numbers on both backends (the Selu kernels of cpu and wasm differ in the last bit).
  const raw = Float32Array.from({ length: n * w }, (_, i) => 2 * Math.sin(0.731 * i + s));
  const act = (v: number) => (activation === 'relu' ? Math.max(0, v) : activation === 'selu' ? (v > 0 ? 1.0507009873554805 * v : 1.7580993408473766 * Math.expm1(v)) : v);
  const y = tf.tensor2d(raw.map(act), [n, w]);
  const tangent = wave([shared ? r : n * r, w], s + 1);
  const attrs = { activation, directions: r };
  const u = tf.engine().runKernel('PfmTangentSlope', { tangent, y }, attrs) as tf.Tensor;
  const grads = tf.engine().runKernel('PfmTangentSlopeGrad', { dy: wave([n * r, w], s + 2), tangent, y, dValue: wave([n, w], s + 3) }, attrs) as tf.Tensor[];
  return [u, ...grads];
}

describe('PfmTangentSlope and PfmTangentSlopeGrad on wasm', () => {
  it('give the cpu reference bit for bit over every activation, shared and per-point tangents, and no points', async () => {
    const results = await onCpuAndWasm(() => ACTIVATIONS.flatMap((a) => CASES.flatMap((c, s) => tangentStep(a, c, s))));
    const labels = ACTIVATIONS.flatMap((a) => CASES.flatMap((c) => ['U', 'dTangent', 'dValue'].map((o) => `${a} [${c}] ${o}`)));
    expect(results.wasm).toHaveLength(results.cpu.length);
    results.cpu.forEach((reference, i) => expect(results.wasm[i], labels[i]).toEqual(reference));
  });

  it('run selu and relu rows of a multiple of 4 in the SIMD module, and its JavaScript fallback gives the same bits', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(seluSimd(tf.backend())).toBeDefined();
      const before = tf.memory().numTensors;
      const run = (simd: boolean) => {
        setSeluSimdEnabled(simd);
        try {
          return ACTIVATIONS.flatMap((a) => CASES.flatMap((c, s) => tf.tidy(() => tangentStep(a, c, s).map((t) => Array.from(t.dataSync())))));
        } finally {
          setSeluSimdEnabled(true);
        }
      };
      expect(run(true)).toEqual(run(false));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('leave no tensor and no heap buffer behind, and refuse a dValue of the wrong shape naming it', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      tf.tidy(() => ACTIVATIONS.forEach((a) => CASES.forEach((c, s) => tangentStep(a, c, s))));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
      tf.tidy(() => {
        const y = tf.zeros([3, 4]);
        expect(() => tf.engine().runKernel('PfmTangentSlopeGrad', { dy: tf.zeros([6, 4]), tangent: tf.zeros([2, 4]), y, dValue: tf.zeros([3, 5]) }, { activation: 'selu', directions: 2 })).toThrow(/inputs\.dValue is float32 \[3, 5\]; expected float32 \[3, 4\]/);
      });
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
