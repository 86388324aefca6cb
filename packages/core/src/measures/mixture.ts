// Mixture Σ_k w_k μ_k: sample component counts from the multinomial(n, w), draw each, shuffle;
// log p(x) = logsumexp_k (log w_k + log p_k(x)).
import * as tf from '@tensorflow/tfjs-core';
import type { Measure } from '../contracts/measure.js';
import type { Rng } from '../rng/rng.js';

export function mixture(components: readonly Measure[], weights?: readonly number[]): Measure {
  if (components.length === 0) throw new RangeError('mixture: needs at least one component');
  const dim = components[0]!.dim;
  components.forEach((c, i) => {
    if (c.dim !== dim) throw new RangeError(`mixture: component ${i} has dim ${c.dim}, expected ${dim}`);
  });
  const w = weights ?? components.map(() => 1);
  if (w.length !== components.length) {
    throw new RangeError(`mixture: ${w.length} weights for ${components.length} components`);
  }
  w.forEach((v, i) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`mixture: weight ${i} must be ≥ 0, got ${v}`);
  });
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('mixture: weights sum to zero');
  const probs = w.map((v) => v / total);
  const hasDensity = components.every((c) => typeof c.logProb === 'function');

  const measure: Measure = {
    dim,
    sample(n: number, rng: Rng): tf.Tensor2D {
      const counts = new Array<number>(components.length).fill(0);
      const u = rng.uniformArray(n);
      for (const v of u) {
        let k = 0;
        let acc = probs[0]!;
        while (v >= acc && k < probs.length - 1) acc += probs[++k]!;
        counts[k]!++;
      }
      const [drawRng, shuffleRng] = rng.split(2) as [Rng, Rng];
      return tf.tidy(() => {
        const parts = components
          .map((c, k) => (counts[k]! > 0 ? c.sample(counts[k]!, drawRng.fold(k)) : null))
          .filter((p): p is tf.Tensor2D => p !== null);
        const all = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
        return tf.gather(all, tf.tensor1d(shuffleRng.permutation(n), 'int32')) as tf.Tensor2D;
      });
    },
  };
  if (hasDensity) {
    measure.logProb = (x: tf.Tensor2D) =>
      tf.tidy(() => {
        const terms = components.map((c, k) => c.logProb!(x).add(Math.log(probs[k]!)));
        return tf.logSumExp(tf.stack(terms, 1), 1) as tf.Tensor1D;
      });
  }
  return measure;
}
