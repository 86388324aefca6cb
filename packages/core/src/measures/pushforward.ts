// φ#ν: sample X = φ(Z), Z ~ ν. When φ is a bijector and ν has a density, the change of
// variables gives log p(x) = log ν(φ⁻¹(x)) + log|det Dφ⁻¹(x)| (paper, section 3).
import * as tf from '@tensorflow/tfjs-core';
import type { Measure } from '../contracts/measure.js';
import { isBijector, type PushforwardMap } from '../contracts/map.js';
import type { Rng } from '../rng/rng.js';

export function pushforward(map: PushforwardMap, base: Measure): Measure {
  if (map.inputDim !== base.dim) {
    throw new RangeError(`pushforward: map input dim ${map.inputDim} does not match base dim ${base.dim}`);
  }
  const measure: Measure = {
    dim: map.outputDim,
    sample(n: number, rng: Rng) {
      return tf.tidy(() => map.apply(base.sample(n, rng)));
    },
  };
  if (isBijector(map) && base.logProb) {
    const baseLogProb = base.logProb.bind(base);
    measure.logProb = (x: tf.Tensor2D) =>
      tf.tidy(() => {
        const [z, logDet] = map.inverseAndLogDet(x);
        return baseLogProb(z).add(logDet) as tf.Tensor1D;
      });
  }
  return measure;
}

/** A measure from a sampling function (and optionally a density), e.g. for a toy data set. */
export function measureFromSampler(
  dim: number,
  sample: (n: number, rng: Rng) => Float32Array,
  logProb?: (x: tf.Tensor2D) => tf.Tensor1D,
): Measure {
  const m: Measure = {
    dim,
    sample(n, rng) {
      const values = sample(n, rng);
      if (values.length !== n * dim) {
        throw new RangeError(`sampler returned ${values.length} values, expected ${n}×${dim}`);
      }
      return tf.tensor2d(values, [n, dim]);
    },
  };
  if (logProb) m.logProb = logProb;
  return m;
}
