import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';

type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu' | 'prelu';
const ACTIVATIONS: Activation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];
const FLAGS: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// a: [m, k] stored as [k, m] when transposeA; b: [k, n] stored as [n, k] when transposeB.
function fusedCase(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, withBias: boolean, activation: Activation) {
  return () =>
    tf.fused.matMul({
      a: wave(transposeA ? [k, m] : [m, k], 0.1),
      b: wave(transposeB ? [n, k] : [k, n], 0.7),
      transposeA,
      transposeB,
      bias: withBias ? wave([n], 2.3) : undefined,
      activation,
      preluActivationWeights: activation === 'prelu' ? tf.mul(wave([n], 1.1), 0.3) : undefined,
      leakyreluAlpha: 0.15,
    });
}

describe('_FusedMatMul on wasm (stock: bias misplaced with a transpose or a batch)', () => {
  it('matches cpu for every transpose pair × bias or none × activation', async () => {
    const cases: Array<() => tf.Tensor> = [];
    const labels: string[] = [];
    for (const [transposeA, transposeB] of FLAGS) {
      for (const withBias of [false, true]) {
        for (const activation of ACTIVATIONS) {
          cases.push(fusedCase(5, 3, 4, transposeA, transposeB, withBias, activation));
          labels.push(`5x3x4 transposeA=${transposeA} transposeB=${transposeB} bias=${withBias} ${activation}`);
        }
        cases.push(fusedCase(37, 29, 19, transposeA, transposeB, withBias, 'relu'));
        labels.push(`37x29x19 transposeA=${transposeA} transposeB=${transposeB} bias=${withBias} relu`);
      }
    }
    expect(cases).toHaveLength(4 * 2 * (ACTIVATIONS.length + 1));
    expectAgreement(await onCpuAndWasm(() => cases.map((c) => c())), labels);
  });

  it('matches cpu for batches, broadcast batches and bias shapes [1], [1, n], [m, n], [m, 1]', async () => {
    const m = 5;
    const k = 3;
    const n = 4;
    const specs: Array<{ label: string; a: number[]; b: number[]; bias?: number[]; tA?: boolean; tB?: boolean; act?: Activation }> = [
      { label: 'batch 2·2, bias [n]', a: [2, m, k], b: [2, k, n], bias: [n] },
      { label: 'batch 1·3, bias [n], relu', a: [1, m, k], b: [3, k, n], bias: [n], act: 'relu' },
      { label: 'batch 3·1, bias [n], transposeB', a: [3, m, k], b: [1, n, k], bias: [n], tB: true },
      { label: 'batch 3·1, bias [n], transposeA, elu', a: [3, k, m], b: [1, k, n], bias: [n], tA: true, act: 'elu' },
      { label: 'batch 2·2, no bias, transposes', a: [2, k, m], b: [2, n, k], tA: true, tB: true, act: 'sigmoid' },
      { label: 'bias [1]', a: [m, k], b: [k, n], bias: [1] },
      { label: 'bias [1, n], relu6', a: [m, k], b: [k, n], bias: [1, n], act: 'relu6' },
      { label: 'bias [m, n], transposeB', a: [m, k], b: [n, k], bias: [m, n], tB: true },
      { label: 'bias [m, 1], leakyrelu', a: [m, k], b: [k, n], bias: [m, 1], act: 'leakyrelu' },
      { label: 'batch 2·2, bias [m, n], prelu', a: [2, m, k], b: [2, k, n], bias: [m, n], act: 'prelu' },
    ];
    const results = await onCpuAndWasm(() =>
      specs.map((s) =>
        tf.fused.matMul({
          a: wave(s.a, 0.2),
          b: wave(s.b, 0.9),
          transposeA: s.tA ?? false,
          transposeB: s.tB ?? false,
          bias: s.bias ? wave(s.bias, 1.7) : undefined,
          activation: s.act ?? 'linear',
          preluActivationWeights: s.act === 'prelu' ? tf.mul(wave([n], 0.4), 0.2) : undefined,
        }),
      ),
    );
    expectAgreement(results, specs.map((s) => s.label));
  });

  it('gradients through tf.fused.matMul match cpu (fused custom gradient for linear, unfused path otherwise)', async () => {
    const cases: Array<() => tf.Tensor[]> = [];
    const labels: string[] = [];
    for (const [transposeA, transposeB] of FLAGS) {
      for (const activation of ['linear', 'relu', 'elu'] as const) {
        cases.push(() => {
          const a = wave(transposeA ? [3, 6] : [6, 3], 0.3);
          const b = wave(transposeB ? [4, 3] : [3, 4], 1.3);
          const bias = wave([4], 2.1);
          // A weighted sum, so that every output element gets its own upstream gradient.
          const weights = wave([6, 4], 0.5);
          const loss = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) =>
            tf.sum(tf.mul(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA, transposeB, bias: c, activation }), weights));
          return tf.grads(loss)([a, b, bias]);
        });
        for (const input of ['a', 'b', 'bias']) labels.push(`d/d${input} transposeA=${transposeA} transposeB=${transposeB} ${activation}`);
      }
    }
    expectAgreement(await onCpuAndWasm(() => cases.flatMap((c) => c())), labels);
  });

  it('the stock kernel fails this comparison (so the tests above can fail)', async () => {
    const results = await onCpuAndWasm(fusedCase(5, 3, 4, false, true, true, 'linear'), { stockKernel: '_FusedMatMul' });
    const error = relativeError(results.wasm[0]?.values ?? [], results.cpu[0]?.values ?? []);
    expect(error).toBeGreaterThan(0.05);
  });
});
