import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cpu } from '../backend/cpu.js';
import { streamValues } from '../testing/stream-values.js';


const ACTIVATIONS = ['linear', 'relu', 'selu'] as const;
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473766;
// [n, r, w, shared]: one point, a tangent block shared by all points (the exact trace's first
// layer), the 3×64 network's hidden width with d = 2, one tangent per point (Hutchinson), w = 1.
const CASES: [number, number, number, boolean][] = [[1, 2, 5, false], [7, 2, 64, true], [7, 2, 64, false], [13, 1, 3, false], [4, 3, 1, true], [2, 2, 4, true]];

function inputs([n, r, w, shared]: [number, number, number, boolean], s: number) {
  const a = tf.tensor2d(streamValues(n * w, s, 2), [n, w]);
  return {
    a,
    tangent: tf.tensor2d(streamValues((shared ? r : n * r) * w, s + 1), [shared ? r : n * r, w]),
    dy: tf.tensor2d(streamValues(n * r * w, s + 2), [n * r, w]),
    dValue: tf.tensor2d(streamValues(n * w, s + 3), [n, w]),
  };
}

function activate(a: tf.Tensor, activation: string): tf.Tensor2D {
  return (activation === 'relu' ? tf.relu(a) : activation === 'selu' ? tf.selu(a) : tf.clone(a)) as tf.Tensor2D;
}

/** The composed ops the kernels replace: σ' read from y, the tangent scaled per point. */
function composedSlope(y: tf.Tensor2D, activation: string): tf.Tensor2D {
  const positive = tf.greater(y, 0);
  if (activation === 'relu') return tf.cast(positive, 'float32') as tf.Tensor2D;
  if (activation === 'linear') return tf.onesLike(y);
  return tf.where(positive, tf.fill(y.shape, SELU_SCALE), tf.add(y, SELU_SCALE_ALPHA)) as tf.Tensor2D;
}

function composedForward(tangent: tf.Tensor2D, slope: tf.Tensor2D, n: number, r: number, shared: boolean): tf.Tensor2D {
  const w = slope.shape[1];
  return tf.reshape(tf.mul(tf.reshape(tangent, [shared ? 1 : n, r, w]), tf.reshape(slope, [n, 1, w])), [n * r, w]) as tf.Tensor2D;
}

/** Runs `body` on the cpu backend, checks it leaves no tensor, and restores the project's backend. */
async function onCpu(body: () => void): Promise<void> {
  const projectBackend = tf.getBackend();
  await cpu().init();
  try {
    const before = tf.memory().numTensors;
    body();
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    await tf.setBackend(projectBackend);
  }
}

describe('cpu PfmTangentSlope and PfmTangentSlopeGrad', () => {
  it('forward: the composed Greater/where/add/Multiply bit for bit; refuses a tangent of the wrong shape naming it', async () => {
    await onCpu(() => {
      for (const activation of ACTIVATIONS) {
        CASES.forEach(([n, r, w, shared], s) =>
          tf.tidy(() => {
            const { a, tangent } = inputs([n, r, w, shared], s);
            const y = activate(a, activation);
            const got = tf.engine().runKernel('PfmTangentSlope', { tangent, y }, { activation, directions: r }) as tf.Tensor;
            const want = composedForward(tangent, composedSlope(y, activation), n, r, shared);
            expect(got.shape).toEqual([n * r, w]);
            expect(Array.from(got.dataSync()), `${activation} [${n}, ${r}, ${w}] shared ${shared}`).toEqual(Array.from(want.dataSync()));
          }),
        );
      }
      tf.tidy(() => {
        const y = tf.zeros([3, 4]);
        expect(() => tf.engine().runKernel('PfmTangentSlope', { tangent: tf.zeros([5, 4]), y }, { activation: 'selu', directions: 2 })).toThrow(/inputs\.tangent .*expected float32 \[6, 4\] or \[2, 4\]/);
        expect(() => tf.engine().runKernel('PfmTangentSlope', { tangent: tf.zeros([6, 4]), y }, { activation: 'tanh', directions: 2 })).toThrow(/attrs\.activation is 'tanh'/);
      });
    });
  });

  it('backward: the composed gradient ops within float32 rounding, and σ′ ⊙ dValue′ is autodiff of Σ G_U ⊙ T ⊙ σ′(a) + Σ G_y ⊙ σ(a) with respect to a', async () => {
    await onCpu(() => {
      for (const activation of ACTIVATIONS) {
        CASES.forEach(([n, r, w, shared], s) =>
          tf.tidy(() => {
            const label = `${activation} [${n}, ${r}, ${w}] shared ${shared}`;
            const { a, tangent, dy, dValue } = inputs([n, r, w, shared], s);
            const y = activate(a, activation);
            const [dTangent, dOut] = tf.engine().runKernel('PfmTangentSlopeGrad', { dy, tangent, y, dValue }, { activation, directions: r }) as tf.Tensor[];
            // The composed ops of the reverse sweep (fused-time-mlp-trace.ts before these kernels).
            const slope = composedSlope(y, activation);
            const perPoint = tf.mul(tf.reshape(dy, [n, r, w]), tf.reshape(slope, [n, 1, w]));
            const wantTangent = shared ? tf.sum(perPoint, 0) : tf.reshape(perPoint, [n * r, w]);
            const gS = tf.sum(tf.mul(tf.reshape(dy, [n, r, w]), tf.reshape(tangent, [shared ? 1 : n, r, w])), 1);
            const wantOut = activation === 'selu' ? tf.where(tf.greater(y, 0), dValue, tf.add(dValue, gS)) : dValue;
            expect(dTangent!.shape, label).toEqual(tangent.shape);
            expect(dOut!.shape, label).toEqual([n, w]);
            expectClose(dTangent!.dataSync(), wantTangent.dataSync(), 1e-6, `${label} dTangent`);
            expectClose(dOut!.dataSync(), wantOut.dataSync(), 1e-6, `${label} dValue`);
            // The law: the pre-activation gradient σ′(a) ⊙ dValue′ against autodiff, with σ′ of a
            // (selu: λα·e^a, not y + λα), so y's rounding in the slope bounds the agreement.
            const exactSlope = (z: tf.Tensor) =>
              activation === 'selu' ? tf.where(tf.greater(z, 0), tf.fill(z.shape, SELU_SCALE), tf.mul(tf.exp(tf.minimum(z, 0)), SELU_SCALE_ALPHA)) : activation === 'relu' ? tf.cast(tf.greater(z, 0), 'float32') : tf.onesLike(z);
            const loss = (z: tf.Tensor) =>
              tf.add(tf.sum(tf.mul(dy, composedForward(tangent, exactSlope(z) as tf.Tensor2D, n, r, shared))), tf.sum(tf.mul(dValue, activate(z, activation))));
            const wantA = tf.grad(loss)(a);
            expectClose(tf.mul(slope, dOut!).dataSync(), wantA.dataSync(), 1e-5, `${label} ∂L/∂a`);
          }),
        );
      }
    });
  });
});

/** Largest absolute difference relative to the largest |want|. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst / Math.max(scale, 1e-30), label).toBeLessThan(tolerance);
}
