import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import '../testing/register-elementwise-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';
import { seluSimd, seluSimdSupported, setSeluSimdEnabled } from '../simd/selu-simd.js';

const ACTIVATIONS = ['linear', 'relu', 'selu'] as const;
// [n, k, m]: batch 1, odd sizes, a single output, and the 3×64 network's hidden layer.
const SHAPES: [number, number, number][] = [[1, 3, 5], [7, 3, 64], [13, 17, 2], [4, 1, 1], [64, 64, 64]];

function composed(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: string): tf.Tensor {
  const z = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
  return activation === 'relu' ? tf.relu(z) : activation === 'selu' ? tf.selu(z) : z;
}

/** x, W, b and dy of one case, made on the active backend. */
function layerCase([n, k, m]: [number, number, number], s: number) {
  return { x: tf.mul(wave([n, k], s), 2), w: wave([k, m], s + 1), b: tf.mul(wave([m], s + 2), 0.5), dy: wave([n, m], s + 3) };
}

/** y, dx, dW, db from the fused kernels. */
function fused(activation: string, { x, w, b, dy }: ReturnType<typeof layerCase>): tf.Tensor[] {
  const y = tf.engine().runKernel('PfmFusedDense', { x, weight: w, bias: b }, { activation }) as tf.Tensor;
  return [y, ...(tf.engine().runKernel('PfmFusedDenseGrad', { dy, x, weight: w, y }, { activation }) as tf.Tensor[])];
}

describe('PfmFusedDense and PfmFusedDenseGrad on wasm', () => {
  it('agree with the cpu kernels (the reference) over batch 1, odd sizes and every activation', async () => {
    const labels = ACTIVATIONS.flatMap((a) => SHAPES.flatMap((s) => ['y', 'dx', 'dW', 'db'].map((o) => `${a} [${s}] ${o}`)));
    const results = await onCpuAndWasm(() => ACTIVATIONS.flatMap((a) => SHAPES.flatMap((shape, s) => fused(a, layerCase(shape, s)))));
    expectAgreement(results, labels);
  });

  it('forward bit for bit the composed ops on wasm; gradients as autodiff, bit for bit for linear and relu, within float32 rounding for selu', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const before = tf.memory().numTensors;
      for (const activation of ACTIVATIONS) {
        SHAPES.forEach((shape, s) =>
          tf.tidy(() => {
            const label = `${activation} [${shape}]`;
            const c = layerCase(shape, s);
            const [y, ...grads] = fused(activation, c);
            expect(Array.from(y!.dataSync()), label).toEqual(Array.from(composed(c.x, c.w, c.b, activation).dataSync()));
            const reference = tf.grads((a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(composed(a, w, b, activation), c.dy)))([c.x, c.w, c.b]);
            ['dx', 'dW', 'db'].forEach((name, i) => {
              expect(grads[i]!.shape, `${label} ${name}`).toEqual(reference[i]!.shape);
              const got = Array.from(grads[i]!.dataSync());
              const want = Array.from(reference[i]!.dataSync());
              // selu's slope y + λα carries y's float32 rounding (about 1.2e-7 absolute) into a
              // slope λα·e^z that can be small, and db sums it over rows of both signs: 4e-6.
              if (activation === 'selu') expect(relativeError(got, want), `${label} ${name}`).toBeLessThan(4e-6);
              else expect(got, `${label} ${name}`).toEqual(want);
            });
          }),
        );
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('selu runs in the SIMD module on wasm in Node.js, and the JavaScript loops it replaces (engines without WebAssembly SIMD) give the same values within 2e-6', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      expect(seluSimdSupported()).toBe(true);
      // The backend's memory was found and the module instantiated on it: no silent fallback.
      expect(seluSimd(tf.backend())).toBeDefined();
      const before = tf.memory().numTensors;
      const run = (simd: boolean) => {
        setSeluSimdEnabled(simd);
        try {
          return SHAPES.map((shape, s) => tf.tidy(() => fused('selu', layerCase(shape, s)).map((t) => Array.from(t.dataSync()))));
        } finally {
          setSeluSimdEnabled(true);
        }
      };
      const [withSimd, withLoops] = [run(true), run(false)];
      SHAPES.forEach((shape, s) =>
        ['y', 'dx', 'dW', 'db'].forEach((name, o) => {
          // Both within about an ulp of the float64 formula: SIMD e^z − 1 in float32 arithmetic,
          // the loops in float64; db sums rows of both signs.
          expect(relativeError(withSimd[s]![o]!, withLoops[s]![o]!), `[${shape}] ${name}`).toBeLessThan(2e-6);
        }),
      );
      expect(seluSimd(tf.backend())).toBeDefined();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('rejects an unknown activation and mismatched shapes, naming the input', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.zeros([2, 3]);
        const w = tf.zeros([3, 4]);
        const run = (inputs: tf.NamedTensorMap, activation = 'selu') => () => tf.engine().runKernel('PfmFusedDense', inputs, { activation });
        expect(run({ x, weight: w, bias: tf.zeros([4]) }, 'gelu')).toThrow(/attrs\.activation is 'gelu'; expected one of linear, relu, selu/);
        expect(run({ x, weight: tf.zeros([2, 4]), bias: tf.zeros([4]) })).toThrow(/inputs\.weight has 2 rows; expected x's 3 columns/);
        expect(run({ x, weight: w, bias: tf.zeros([3]) })).toThrow(/inputs\.bias is float32 \[3\]; expected float32 \[4\]/);
        const grad = () => tf.engine().runKernel('PfmFusedDenseGrad', { dy: tf.zeros([2, 5]), x, weight: w, y: tf.zeros([2, 4]) }, { activation: 'relu' });
        expect(grad).toThrow(/inputs\.dy is float32 \[2, 5\]; expected float32 \[2, 4\]/);
      });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
