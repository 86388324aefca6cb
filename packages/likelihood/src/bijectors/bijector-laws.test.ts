// Every bijector of the package passes @pfm/core/testing's laws: round trip, log-determinant
// against the autodiff Jacobian, gradients reaching every parameter, save/load through the
// registry (so each is rebuilt from its 'map' entry, nested chains included).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, type Bijector } from '@pfm/core';
import { checkBijectorLaws } from '@pfm/core/testing';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { bijectorFromSpec, chainFromOptions } from './bijector-entries.js';
import { affineCoupling } from './affine-coupling.js';
import { additiveCoupling } from './additive-coupling.js';
import { splineCoupling } from './spline-coupling.js';
import { permutation } from './permutation.js';
import { actNorm } from './act-norm.js';
import { luLinear } from './lu-linear.js';
import { elementwiseAffine } from './elementwise-affine.js';
import { sigmoid } from './sigmoid.js';
import { logit } from './logit.js';
import { chain } from './chain.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const rng = createRng(11);

// [name, factory, extra law options]; the default laws use 16 standard normal points.
const cases: [string, () => Bijector, { scale?: number; points?: () => tf.Tensor2D }?][] = [
  ['affine-coupling odd d=2', () => affineCoupling({ dim: 2, hidden: [8] }, rng.fold(1))],
  ['affine-coupling even d=3', () => affineCoupling({ dim: 3, mask: 'even', hidden: [8, 8], activation: 'tanh' }, rng.fold(2))],
  ['affine-coupling upper d=5 clamp 1', () => affineCoupling({ dim: 5, mask: 'upper', hidden: [8], clamp: 1 }, rng.fold(3))],
  ['affine-coupling lower d=4', () => affineCoupling({ dim: 4, mask: 'lower', hidden: [8], finalScale: 1 }, rng.fold(4))],
  ['additive-coupling d=3', () => additiveCoupling({ dim: 3, hidden: [8] }, rng.fold(5))],
  // Scale 2 with tail bound 1.5 puts points on both sides of ±B: tails and interior are both tested.
  ['spline-coupling d=3 (tails)', () => splineCoupling({ dim: 3, hidden: [8], bins: 5, tailBound: 1.5 }, rng.fold(6)), { scale: 2 }],
  ['spline-coupling d=2 upper', () => splineCoupling({ dim: 2, mask: 'upper', hidden: [8], bins: 8, finalScale: 1 }, rng.fold(7))],
  ['permutation reverse d=3', () => permutation({ dim: 3 })],
  ['permutation random d=6', () => permutation({ dim: 6, kind: 'random', seed: 4 })],
  ['permutation given order d=5', () => permutation({ dim: 5, order: [3, 0, 4, 1, 2] })],
  // Wide enough that columns are gathered, not selected by a 0/1 matrix (take-columns.ts).
  ['permutation random d=80 (gathered)', () => permutation({ dim: 80, kind: 'random', seed: 5 })],
  ['affine-coupling odd d=80 (gathered)', () => affineCoupling({ dim: 80, hidden: [8], finalScale: 1 }, rng.fold(12))],
  ['spline-coupling upper d=70 (sliced)', () => splineCoupling({ dim: 70, mask: 'upper', hidden: [8], bins: 4, finalScale: 1 }, rng.fold(13))],
  ['act-norm d=3', () => actNorm({ dim: 3 })],
  ['lu-linear d=1', () => luLinear({ dim: 1 })],
  ['lu-linear d=2', () => luLinear({ dim: 2 })],
  ['lu-linear d=5', () => luLinear({ dim: 5, seed: 3 })],
  ['lu-linear d=4 no permutation', () => luLinear({ dim: 4, permute: false })],
  ['lu-linear d=4 given order', () => luLinear({ dim: 4, order: [2, 0, 3, 1] })],
  ['elementwise-affine d=3', () => elementwiseAffine({ dim: 3, logScale: 0.3, shift: -1 })],
  ['sigmoid box [-6, 6]', () => sigmoid({ dim: 2, low: -6, high: 6 })],
  ['sigmoid per-coordinate box', () => sigmoid({ dim: 2, low: [-8, -5], high: [7, 9] })],
  ['logit box [-6, 6]', () => logit({ dim: 2, low: -6, high: 6 })],
  [
    'chain of every kind',
    () =>
      chainFromOptions(
        {
          dim: 3,
          layers: [
            { type: 'act-norm', options: { dim: 3 } },
            { type: 'affine-coupling', options: { dim: 3, hidden: [8] } },
            { type: 'permutation', options: { dim: 3, kind: 'random', seed: 1 } },
            { type: 'spline-coupling', options: { dim: 3, hidden: [8], bins: 4, mask: 'even' } },
            { type: 'lu-linear', options: { dim: 3, seed: 2 } },
            { type: 'additive-coupling', options: { dim: 3, hidden: [8], mask: 'upper' } },
            { type: 'elementwise-affine', options: { dim: 3 } },
            { type: 'chain', options: { dim: 3, layers: [{ type: 'act-norm', options: { dim: 3 } }, { type: 'permutation', options: { dim: 3 } }] } },
          ],
        },
        rng.fold(8),
      ),
  ],
];

describe('bijector laws', () => {
  for (const [name, make, extra] of cases) {
    it(`${name}: round trip, log-det = log|det J_autodiff|, gradients, save/load`, () => {
      const b = make();
      const points = extra?.points?.();
      try {
        checkBijectorLaws(b, { registry, name, rng: rng.fold(99), ...(extra?.scale ? { scale: extra.scale } : {}), ...(points ? { points } : {}) });
      } finally {
        points?.dispose();
        b.dispose();
      }
    });
  }

  it('logit on the default unit box (points inside the box)', () => {
    const b = logit({ dim: 3 });
    const points = createRng(3).uniform([16, 3], 0.05, 0.95) as tf.Tensor2D;
    try {
      checkBijectorLaws(b, { points, name: 'logit [0, 1]' });
    } finally {
      points.dispose();
      b.dispose();
    }
  });

  it('a chain built directly from bijectors has the spec of its parts and rebuilds from it', () => {
    const a = elementwiseAffine({ dim: 2, logScale: 0.5 });
    const p = permutation({ dim: 2 });
    const c = chain([a, p]);
    const spec = c.toSpec();
    expect(spec.type).toBe('chain');
    expect((spec.options.layers as { type: string }[]).map((l) => l.type)).toEqual(['elementwise-affine', 'permutation']);
    const rebuilt = bijectorFromSpec(spec, createRng(0));
    try {
      expect(rebuilt.variables.map((v) => v.shape)).toEqual(c.variables.map((v) => v.shape));
      checkBijectorLaws(c, { registry, name: 'direct chain' });
    } finally {
      rebuilt.dispose();
      c.dispose();
    }
  });

  it('the law check catches a wrong log-determinant (a coupling whose log-det is dropped)', () => {
    const good = affineCoupling({ dim: 2, hidden: [4], finalScale: 1 }, rng.fold(20));
    const broken: Bijector = {
      ...good,
      forwardAndLogDet: (z) => {
        const [x, ld] = good.forwardAndLogDet(z);
        const zero = tf.zerosLike(ld);
        ld.dispose();
        return [x, zero];
      },
    };
    try {
      expect(() => checkBijectorLaws(broken, { name: 'broken' })).toThrow(/log/);
    } finally {
      good.dispose();
    }
  });
});
