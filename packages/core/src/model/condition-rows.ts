// A condition as the user gives it (one label, labels, one context vector, context rows) checked
// against a ConditionSpec and turned into the rows maps consume: `[n]` int32 labels or `[n, m]`
// float32 context.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionInput, ConditionSpec } from '../contracts/condition.js';

/**
 * The condition rows of `n` samples (caller owns the tensor): `[n]` int32 labels in 0…K − 1 for a
 * class spec, `[n, m]` float32 finite context rows for a context spec. A single label (number) or a
 * single context vector (m numbers) is repeated on every row. Throws a RangeError naming `where`,
 * the bad value and what was expected: a label outside 0…K − 1 or not an integer, a row count
 * other than n, a context of the wrong dimension or with a non-finite entry.
 */
export function conditionRows(spec: ConditionSpec, input: ConditionInput, n: number, where = 'condition'): tf.Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${where}: row count must be a non-negative integer, got ${n}`);
  const values = input instanceof tf.Tensor ? input.dataSync() : typeof input === 'number' ? [input] : input;
  if (input instanceof tf.Tensor && input.dtype !== 'int32' && input.dtype !== 'float32') {
    throw new RangeError(`${where}: expected a numeric tensor, got dtype ${input.dtype}`);
  }
  if (typeof input !== 'number' && !(input instanceof tf.Tensor) && (typeof input !== 'object' || input === null || typeof input.length !== 'number')) {
    throw new RangeError(`${where}: expected a number, an array of numbers or a tensor, got ${String(input)}`);
  }
  if (spec.kind === 'class') {
    if (input instanceof tf.Tensor && input.rank !== 1 && !(input.rank === 2 && input.shape[1] === 1)) {
      throw new RangeError(`${where}: expected class labels [${n}], got a tensor of shape [${input.shape.join(', ')}]`);
    }
    const single = values.length === 1 && (typeof input === 'number' || n !== 1);
    if (!single && values.length !== n) {
      throw new RangeError(`${where}: expected ${n} class labels (one per row) or one for all rows, got ${values.length}`);
    }
    const labels = new Int32Array(n);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= spec.classes) {
        const at = single ? '' : ` at row ${i}`;
        throw new RangeError(`${where}: label ${String(v)}${at} is not a class of this model; expected an integer in 0…${spec.classes - 1}`);
      }
    }
    if (single) labels.fill(values[0]!);
    else for (let i = 0; i < n; i++) labels[i] = values[i]!;
    return tf.tensor1d(labels, 'int32');
  }
  const m = spec.dim;
  if (input instanceof tf.Tensor) {
    const ok = (input.rank === 2 && input.shape[1] === m && input.shape[0] === n) || (input.rank === 1 && input.shape[0] === m);
    if (!ok) throw new RangeError(`${where}: expected context rows [${n}, ${m}] or one context vector [${m}], got a tensor of shape [${input.shape.join(', ')}]`);
  } else if (typeof input === 'number' || (values.length !== m && values.length !== n * m)) {
    throw new RangeError(`${where}: expected a context vector of dimension ${m} (or ${n}×${m} numbers, one row per sample), got ${typeof input === 'number' ? 'a number' : `${values.length} numbers`}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new RangeError(`${where}: context entry ${i} (row ${Math.floor(i / m)}, column ${i % m}) is ${values[i]}; expected finite numbers`);
    }
  }
  const rows = new Float32Array(n * m);
  if (values.length === m && !(values.length === n * m)) for (let i = 0; i < n; i++) rows.set(Array.from(values), i * m);
  else for (let i = 0; i < n * m; i++) rows[i] = values[i]!;
  return tf.tensor2d(rows, [n, m]);
}

/**
 * Checks condition rows already in tensor form against `spec` and the row count `n`: `[n]` integer
 * labels in 0…K − 1, or `[n, m]` finite context rows. Throws a RangeError naming `where`.
 */
export function checkConditionRows(spec: ConditionSpec, rows: tf.Tensor, n: number, where = 'condition'): void {
  const want = spec.kind === 'class' ? `[${n}] class labels` : `[${n}, ${spec.dim}] context rows`;
  const shapeOk = spec.kind === 'class' ? rows.rank === 1 && rows.shape[0] === n : rows.rank === 2 && rows.shape[0] === n && rows.shape[1] === spec.dim;
  if (!shapeOk) throw new RangeError(`${where}: expected ${want} (one per data row), got shape [${rows.shape.join(', ')}]`);
  const values = rows.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (spec.kind === 'class' ? !Number.isInteger(v) || v < 0 || v >= spec.classes : !Number.isFinite(v)) {
      const what = spec.kind === 'class' ? `label ${v} at row ${i}; expected an integer in 0…${spec.classes - 1}` : `context entry ${v} at row ${Math.floor(i / spec.dim)}; expected finite numbers`;
      throw new RangeError(`${where}: ${what}`);
    }
  }
}
