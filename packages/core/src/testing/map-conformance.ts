// The laws every map and vector field obeys, checked on random points:
//   shape        [n, inputDim] → [n, outputDim] (a field: t scalar or [n], [n, dim] → [n, dim]), finite;
//   rows         row i of φ(x) depends on row i of x only (no batch statistics), so a per-sample
//                gradient penalty or a minibatch of any size sees the same function;
//   input check  a wrong input width is refused;
//   gradients    a loss through the map reaches every trainable variable with a finite, non-zero gradient;
//   save/load    a map rebuilt from its file record computes the same function;
//   memory       applying it leaves no tensor behind but its output;
//   condition    a conditional map (`condition` set) is checked with condition rows (half of them
//                marked not kept, so the null embedding is exercised), a row's output follows its
//                own condition, and another condition changes the output.
import * as tf from '@tensorflow/tfjs-core';
import type { PushforwardMap, VectorField } from '../contracts/map.js';
import type { ConditionBatch } from '../contracts/condition.js';
import type { Registry } from '../registry/registry.js';
import { createRng, type Rng } from '../rng/rng.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';

export interface MapConformanceOptions {
  /** Rows to test at (default 6). */
  rows?: number;
  /** Scale of the standard normal input points (default 1). */
  scale?: number;
  rng?: Rng;
  /** Absolute + relative tolerance on values (float32: default 1e-4). */
  tolerance?: number;
  /**
   * Perturb every variable by N(0, perturb²) before the gradient check (restored afterwards), so a
   * zero-initialised layer does not hide a broken path. Default 0.05; 0 to test as is.
   */
  perturb?: number;
  /** Check the gradients (default true; a backend without the kernels' gradients turns it off). */
  gradients?: boolean;
  /** With a registry, also check the save/load round trip through the map's file record. */
  registry?: Registry;
  name?: string;
}

function isField(map: PushforwardMap | VectorField): map is VectorField {
  return typeof (map as VectorField).evaluate === 'function';
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

function assertClose(actual: tf.Tensor, expected: tf.Tensor, tol: number, what: string): void {
  const scale = tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0]!);
  const err = maxAbsDiff(actual, expected);
  if (!(err <= tol * (1 + scale))) {
    throw new Error(`${what}: max abs difference ${err.toExponential(3)} exceeds ${(tol * (1 + scale)).toExponential(3)}`);
  }
}

/** Throws an Error naming the first law `map` (a PushforwardMap or a VectorField) breaks. */
export function checkMapConformance(map: PushforwardMap | VectorField, options: MapConformanceOptions = {}): void {
  const name = options.name ?? map.toSpec().type;
  const rng = options.rng ?? createRng(4321);
  const n = options.rows ?? 6;
  const tol = options.tolerance ?? 1e-4;
  const field = isField(map);
  const inputDim = field ? map.dim : map.inputDim;
  const outputDim = field ? map.dim : map.outputDim;
  const x = tf.tidy(() => tf.mul(rng.fold(1).normal([n, inputDim]), options.scale ?? 1)) as tf.Tensor2D;
  const t = tf.tidy(() => rng.fold(2).uniform([n])) as tf.Tensor1D;
  const spec = map.condition;
  // Condition rows: labels or context drawn from the rng; keep 1, 0, 1, 0, … so both the class or
  // context embedding and the null embedding are on the path.
  const condition: ConditionBatch | undefined = spec
    ? tf.tidy(() => {
        const values =
          spec.kind === 'class'
            ? tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7 + 3) % spec.classes), 'int32')
            : rng.fold(5).normal([n, spec.dim]);
        return { values, keep: tf.tensor1d(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0))) };
      })
    : undefined;
  const sliceCondition = (c: ConditionBatch | undefined, rows: number): ConditionBatch | undefined =>
    c && {
      values: tf.slice(c.values, 0, rows),
      ...(c.keep ? { keep: tf.slice(c.keep, [0], [rows]) } : {}),
    };
  const run = (m: PushforwardMap | VectorField, input: tf.Tensor2D, times: tf.Tensor1D | number = t, c: ConditionBatch | undefined = condition): tf.Tensor2D =>
    isField(m) ? m.evaluate(times, input, c) : m.apply(input, c);
  try {
    const before = tf.memory().numTensors;
    const y = run(map, x);
    const grown = tf.memory().numTensors - before;
    try {
      if (grown !== 1) throw new Error(`${name}: one application left ${grown - 1} tensor(s) besides its output`);
      if (y.rank !== 2 || y.shape[0] !== n || y.shape[1] !== outputDim) {
        throw new Error(`${name}: expected output [${n}, ${outputDim}], got [${y.shape.join(', ')}]`);
      }
      if (!tf.tidy(() => tf.all(tf.isFinite(y)).dataSync()[0])) throw new Error(`${name}: non-finite output`);
      tf.tidy(() => assertClose(run(map, x), y, 0, `${name}: two applications differ`));
      tf.tidy(() => {
        const half = Math.max(1, Math.floor(n / 2));
        const head = tf.slice(x, [0, 0], [half, -1]) as tf.Tensor2D;
        const headOut = run(map, head, tf.slice(t, [0], [half]) as tf.Tensor1D, sliceCondition(condition, half));
        assertClose(headOut, tf.slice(y, [0, 0], [half, -1]), tol, `${name}: rows are not independent (the first ${half} rows alone give other outputs)`);
      });
      if (field) {
        tf.tidy(() => {
          const scalar = run(map, x, 0.3);
          assertClose(run(map, x, tf.fill([n], 0.3) as tf.Tensor1D), scalar, tol, `${name}: a scalar t and the same t per row differ`);
        });
      }
      const wrong = tf.zeros([2, inputDim + 1]) as tf.Tensor2D;
      let refused = false;
      try {
        tf.tidy(() => run(map, wrong, t, sliceCondition(condition, 2)));
      } catch {
        refused = true;
      } finally {
        wrong.dispose();
      }
      if (!refused) throw new Error(`${name}: an input of width ${inputDim + 1} (expected ${inputDim}) was not refused`);
      if (options.registry) {
        const copy = mapFromRecord(mapToRecord(map), options.registry, name);
        try {
          tf.tidy(() => assertClose(run(copy, x), y, 0, `${name}: the map rebuilt from its record computes another function`));
        } finally {
          copy.dispose();
        }
      }
    } finally {
      y.dispose();
    }
    if (spec) {
      // Every row kept, and the same rows under another condition: the outputs must differ. Checked
      // with perturbed weights, since a zero-initialised FiLM or output layer hides the condition.
      withPerturbedVariables(map, Math.max(options.perturb ?? 0.05, 0.05), rng, () =>
        tf.tidy(() => {
          const values = condition!.values;
          const other =
            spec.kind === 'class' ? tf.cast(tf.mod(tf.add(values, 1), spec.classes), 'int32') : tf.add(values, rng.fold(6).normal(values.shape));
          const moved = maxAbsDiff(run(map, x, t, { values: other }), run(map, x, t, { values }));
          if (!(moved > 0)) throw new Error(`${name}: another condition gives the same output (the condition does not reach the map)`);
        }),
      );
    }
    if (options.gradients ?? true) checkGradients(map, name, x, t, options.perturb ?? 0.05, rng, run);
  } finally {
    x.dispose();
    t.dispose();
    if (condition) tf.dispose([condition.values, ...(condition.keep ? [condition.keep] : [])]);
  }
}

function checkGradients(
  map: PushforwardMap | VectorField,
  name: string,
  x: tf.Tensor2D,
  t: tf.Tensor1D,
  perturb: number,
  rng: Rng,
  run: (m: PushforwardMap | VectorField, input: tf.Tensor2D, times?: tf.Tensor1D | number) => tf.Tensor2D,
): void {
  const trainable = map.variables.filter((v) => v.trainable);
  withPerturbedVariables(map, perturb, rng, () =>
    tf.tidy(() => {
      const weights = rng.fold(3).normal([x.shape[0], isField(map) ? map.dim : map.outputDim]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(run(map, x, t), weights)) as tf.Scalar, trainable);
      value.dispose();
      for (const v of trainable) {
        const g = grads[v.name];
        if (!g) throw new Error(`${name}: no gradient reaches ${v.name}`);
        const norm = tf.norm(g).dataSync()[0]!;
        if (!Number.isFinite(norm) || norm === 0) throw new Error(`${name}: the gradient of ${v.name} is ${norm} (expected finite and non-zero)`);
      }
    }),
  );
}

/** Runs `fn` with every trainable variable of `map` moved by N(0, perturb²) noise, then restores them. */
function withPerturbedVariables(map: PushforwardMap | VectorField, perturb: number, rng: Rng, fn: () => void): void {
  const trainable = map.variables.filter((v) => v.trainable);
  const saved = trainable.map((v) => tf.clone(v));
  try {
    if (perturb > 0) {
      trainable.forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, tf.mul(rng.fold(100 + i).normal(v.shape), perturb)))));
    }
    fn();
  } finally {
    trainable.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
  }
}
