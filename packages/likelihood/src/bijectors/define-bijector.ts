// The shared shell of every bijector in this package: shape checks, tf.tidy around both
// directions, `apply` = the forward map, and the spec that rebuilds it from a model file.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, ConditionBatch, ConditionSpec, MapSpec } from '@pfm/core';

/** What a bijector implementation provides; `defineBijector` adds the rest. */
export interface BijectorDefinition<O extends Record<string, unknown>> {
  /** Registry id of the map entry that rebuilds it (kebab-case). */
  type: string;
  dim: number;
  /** Trainable (and fixed) variables, in file order. */
  variables: tf.Variable[];
  /** The options of the spec, read when `toSpec()` is called (they may hold state such as ActNorm's flag). */
  options(): O;
  /** What the bijector is conditioned on (its conditioner's condition); absent: unconditional. */
  condition?: ConditionSpec;
  /** x = ψ(z) and log|det Dψ(z)|, `[n, dim]` → (`[n, dim]`, `[n]`). Called inside tf.tidy. */
  forward(z: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D];
  /** z = ψ⁻¹(x) and log|det Dψ⁻¹(x)|, `[n, dim]` → (`[n, dim]`, `[n]`). Called inside tf.tidy. */
  inverse(x: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D];
  /** Releases what the bijector owns besides `variables`. */
  dispose?(): void;
}

/** A bijector of this package: a core Bijector that also exposes its validated options. */
export interface PfmBijector<O extends Record<string, unknown> = Record<string, unknown>> extends Bijector {
  readonly options: O;
  toSpec(): MapSpec;
}

/** Checks that `t` is a `[n, dim]` matrix; the error names the bijector and the shape. */
export function checkRows(t: tf.Tensor, dim: number, where: string): void {
  if (t.rank !== 2 || t.shape[1] !== dim) {
    throw new RangeError(`${where}: expected input of shape [n, ${dim}], got [${t.shape.join(', ')}]`);
  }
}

/**
 * Builds a Bijector from its two directions: checks shapes, runs each direction in tf.tidy,
 * and returns `[n, dim]` rows with a `[n]` log-determinant.
 */
export function defineBijector<O extends Record<string, unknown>>(def: BijectorDefinition<O>): PfmBijector<O> {
  const where = def.type;
  const bijector: PfmBijector<O> = {
    inputDim: def.dim,
    outputDim: def.dim,
    nfe: 1,
    ...(def.condition ? { condition: def.condition } : {}),
    variables: def.variables,
    get options() {
      return def.options();
    },
    apply(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      checkRows(z, def.dim, where);
      return tf.tidy(() => def.forward(z, condition)[0]);
    },
    forwardAndLogDet(z: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D] {
      checkRows(z, def.dim, where);
      return tf.tidy(() => def.forward(z, condition));
    },
    inverseAndLogDet(x: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D] {
      checkRows(x, def.dim, where);
      return tf.tidy(() => def.inverse(x, condition));
    },
    toSpec(): MapSpec {
      return { type: def.type, options: { ...def.options() } };
    },
    dispose(): void {
      for (const v of def.variables) v.dispose();
      def.dispose?.();
    },
  };
  return bijector;
}
