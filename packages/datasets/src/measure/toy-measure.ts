// A toy data set as a Measure: a seeded sampler that fills an [n, dim] row-major Float32Array
// from the given Rng alone (so the same seed gives the same points on every backend), plus the
// log density where it is known in closed form.
import * as tf from '@tensorflow/tfjs-core';
import { measureFromSampler, type ConditionalSource, type DensityMeasure, type Measure, type Rng } from '@pfm/core';

/**
 * Draws `n` points, row-major `[n, dim]`, using only `rng`; when `labels` (length n) is given, also
 * writes each point's natural class there (its mode, moon, cell…) without drawing anything more,
 * so the points are the same with or without it.
 */
export type PointSampler = (n: number, rng: Rng, labels?: Int32Array) => Float32Array;

/** Log density of each row, `[n, dim]` → `[n]`. */
export type LogDensity = (x: tf.Tensor2D) => tf.Tensor1D;

function checkCount(id: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${id}: sample count n must be a non-negative integer, got ${String(n)}`);
  }
}

function checkInput(id: string, dim: number, x: tf.Tensor2D): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== dim) {
    const shape = x instanceof tf.Tensor ? `[${x.shape.join(', ')}]` : typeof x;
    throw new RangeError(`${id}: logProb expects points of shape [n, ${dim}], got ${shape}`);
  }
}

/**
 * Wraps a sampler (and optional log density) as a Measure of dimension `dim`; `sample(n, rng)`
 * returns `[n, dim]`, `logProb(x)` maps `[n, dim]` to `[n]`. Checks `n` and the shape of `x`,
 * naming the data set in the error.
 */
export function toyMeasure(id: string, dim: number, sampler: PointSampler, logProb: LogDensity): DensityMeasure;
export function toyMeasure(id: string, dim: number, sampler: PointSampler): Measure;
export function toyMeasure(id: string, dim: number, sampler: PointSampler, logProb?: LogDensity): Measure;
export function toyMeasure(id: string, dim: number, sampler: PointSampler, logProb?: LogDensity): Measure {
  const checkedSampler: PointSampler = (n, rng) => {
    checkCount(id, n);
    return sampler(n, rng);
  };
  const checkedLogProb: LogDensity | undefined =
    logProb &&
    ((x) => {
      checkInput(id, dim, x);
      return logProb(x);
    });
  return measureFromSampler(dim, checkedSampler, checkedLogProb);
}

/**
 * A toy data set whose points have a natural class in 0…classes − 1 (the sampler writes it): the
 * measure of {@link toyMeasure} plus `condition` `{ kind: 'class', classes }` and
 * `sampleWithCondition(n, rng)`, which returns the points `sample(n, rng)` returns and their
 * labels (`[n]` int32).
 */
export function labeledToyMeasure(id: string, dim: number, classes: number, sampler: PointSampler, logProb: LogDensity): DensityMeasure & ConditionalSource;
export function labeledToyMeasure(id: string, dim: number, classes: number, sampler: PointSampler): Measure & ConditionalSource;
export function labeledToyMeasure(id: string, dim: number, classes: number, sampler: PointSampler, logProb?: LogDensity): Measure & ConditionalSource {
  const measure = toyMeasure(id, dim, sampler, logProb);
  return Object.assign(measure, {
    condition: { kind: 'class' as const, classes },
    sampleWithCondition(n: number, rng: Rng) {
      checkCount(id, n);
      const labels = new Int32Array(n);
      const values = sampler(n, rng, labels);
      return { x: tf.tensor2d(values, [n, dim]), condition: tf.tensor1d(labels, 'int32') };
    },
  });
}
