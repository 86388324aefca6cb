// Composition ψ = ψ_L ∘ … ∘ ψ_1 of bijectors: log|det Dψ(z)| = Σ_l log|det Dψ_l(z_{l−1})| with
// z_0 = z, z_l = ψ_l(z_{l−1}) (the chain rule of Jacobians; Papamakarios et al. 2021, §2.2).
import * as tf from '@tensorflow/tfjs-core';
import { isBijector, type Bijector, type ConditionBatch, type MapSpec } from '@pfm/core';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { initializeFromData, pullBackInChunks, type DataInitializable } from './initialize-from-data.js';

/** Options of a chain: its dimension and the specs of its layers, `layers[0]` acting first on z. */
export interface ChainOptions extends Record<string, unknown> {
  dim: number;
  layers: MapSpec[];
}

/** A composition of bijectors; `initialize(x)` runs the data-dependent initialisation of its layers. */
export interface Chain extends PfmBijector<ChainOptions>, DataInitializable {
  /** The layers, `layers[0]` acting first on the noise side, the last one producing data. */
  readonly layers: readonly Bijector[];
}

/**
 * Composes bijectors on R^dim (`[n, dim]` rows): x = ψ_L(…ψ_1(z)). The chain owns its layers
 * (dispose disposes them). Its spec lists the layers' specs, so a model file rebuilds it.
 * Source: Papamakarios, Nalisnick, Rezende, Mohamed & Lakshminarayanan, "Normalizing flows for
 * probabilistic modeling and inference", JMLR 2021, §2.2.
 */
export function chain(layers: readonly Bijector[]): Chain {
  if (layers.length === 0) throw new RangeError('chain: needs at least one layer');
  const dim = layers[0]!.inputDim;
  layers.forEach((layer, i) => {
    if (!isBijector(layer)) throw new TypeError(`chain: layer ${i} (${(layer as Bijector).toSpec().type}) is not a bijector`);
    if (layer.inputDim !== dim || layer.outputDim !== dim) {
      throw new RangeError(`chain: layer ${i} (${layer.toSpec().type}) maps R^${layer.inputDim} → R^${layer.outputDim}, expected R^${dim} → R^${dim}`);
    }
  });
  const parts = [...layers];
  const options = (): ChainOptions => ({ dim, layers: parts.map((l) => l.toSpec()) });
  // A chain is conditional when one of its layers is (all conditional layers share one condition).
  const condition = parts.find((l) => l.condition !== undefined)?.condition;
  const base = defineBijector<ChainOptions>({
    type: 'chain',
    dim,
    ...(condition ? { condition } : {}),
    variables: parts.flatMap((l) => [...l.variables]),
    options,
    forward(zIn, given) {
      let h = zIn;
      const logDets: tf.Tensor1D[] = [];
      for (const layer of parts) {
        const [next, ld] = layer.condition ? layer.forwardAndLogDet(h, given) : layer.forwardAndLogDet(h);
        h = next;
        logDets.push(ld);
      }
      return [h, tf.addN(logDets) as tf.Tensor1D];
    },
    inverse(x, given) {
      let h = x;
      const logDets: tf.Tensor1D[] = [];
      for (let i = parts.length - 1; i >= 0; i--) {
        const [next, ld] = parts[i]!.condition ? parts[i]!.inverseAndLogDet(h, given) : parts[i]!.inverseAndLogDet(h);
        h = next;
        logDets.push(ld);
      }
      return [h, tf.addN(logDets) as tf.Tensor1D];
    },
  });
  // The layers own the variables; dispose through them (so nested owners release everything).
  const chained = base as Chain & { layers: readonly Bijector[] };
  chained.dispose = () => {
    for (const l of parts) l.dispose();
  };
  return Object.assign(chained, {
    layers: parts,
    initialize(x: tf.Tensor2D, given?: ConditionBatch): void {
      if (x.rank !== 2 || x.shape[1] !== dim) {
        throw new RangeError(`chain: initialize expects data [n, ${dim}], got [${x.shape.join(', ')}]`);
      }
      // Pull the data back from the data side; each layer is initialised on what it receives.
      let h: tf.Tensor2D = tf.clone(x);
      try {
        for (let i = parts.length - 1; i >= 0; i--) {
          initializeFromData(parts[i]!, h, undefined, given?.values);
          if (i > 0) {
            const next = pullBackInChunks(parts[i]!, h, given?.values);
            h.dispose();
            h = next;
          }
        }
      } finally {
        h.dispose();
      }
    },
  });
}
