// The laws every bijector obeys (the zuko/distrax conformance idea):
//   round trip   ψ⁻¹(ψ(z)) = z,  ψ(ψ⁻¹(x)) = x,  log|det Dψ(z)| + log|det Dψ⁻¹(ψ(z))| = 0;
//   log-det      the returned log|det Dψ(z)| equals log|det J| of the Jacobian computed by autodiff;
//   gradients    a loss through forward and inverse reaches every trainable variable;
//   save/load    a map rebuilt from its file record computes the same function.
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector } from '../contracts/map.js';
import type { Registry } from '../registry/registry.js';
import { createRng, type Rng } from '../rng/rng.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';
import { isBijector } from '../contracts/map.js';
import { logAbsDet } from './linear-algebra.js';

export interface BijectorLawOptions {
  /** Points to test at. Default: 16 standard normal points (scaled by `scale`). */
  points?: tf.Tensor2D;
  scale?: number;
  rng?: Rng;
  /** Absolute + relative tolerance on values (float32: default 2e-3). */
  tolerance?: number;
  /** Tolerance on log-determinants (default 5e-3). */
  logDetTolerance?: number;
  /**
   * Perturb every variable by N(0, perturb²) first (restored afterwards), so zero-initialised
   * layers do not hide a broken gradient path. Default 0.05; 0 to test as is.
   */
  perturb?: number;
  /** With a registry, also check the save/load round trip through the map's file record. */
  registry?: Registry;
  name?: string;
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

/** Throws an Error naming the first law `bijector` breaks. */
export function checkBijectorLaws(bijector: Bijector, options: BijectorLawOptions = {}): void {
  const name = options.name ?? bijector.toSpec().type;
  if (!isBijector(bijector)) throw new Error(`${name}: not a bijector (needs forwardAndLogDet and inverseAndLogDet)`);
  const d = bijector.inputDim;
  if (bijector.outputDim !== d) throw new Error(`${name}: a bijector maps R^d to R^d, got ${d} → ${bijector.outputDim}`);
  const rng = options.rng ?? createRng(1234);
  const tol = options.tolerance ?? 2e-3;
  const ldTol = options.logDetTolerance ?? 5e-3;
  const perturb = options.perturb ?? 0.05;
  const saved = bijector.variables.map((v) => tf.clone(v));
  try {
    if (perturb > 0) {
      bijector.variables.forEach((v, i) => {
        tf.tidy(() => v.assign(tf.add(v, tf.mul(rng.fold(100 + i).normal(v.shape), perturb))));
      });
    }
    tf.tidy(() => {
      const z = options.points ?? (tf.mul(rng.normal([16, d]), options.scale ?? 1) as tf.Tensor2D);
      // Round trip.
      const [x, ldForward] = bijector.forwardAndLogDet(z);
      const [zBack, ldInverse] = bijector.inverseAndLogDet(x);
      assertClose(zBack, z, tol, `${name}: inverse(forward(z)) ≠ z`);
      assertClose(tf.add(ldForward, ldInverse), tf.zerosLike(ldForward), ldTol, `${name}: forward and inverse log-dets do not cancel`);
      const [zOfZ] = bijector.inverseAndLogDet(z);
      const [zz] = bijector.forwardAndLogDet(zOfZ);
      assertClose(zz, z, tol, `${name}: forward(inverse(x)) ≠ x`);
      assertClose(bijector.apply(z), x, tol, `${name}: apply(z) ≠ forwardAndLogDet(z)[0]`);
      if (x.shape[0] !== z.shape[0] || x.shape[1] !== d || ldForward.shape.length !== 1 || ldForward.shape[0] !== z.shape[0]) {
        throw new Error(`${name}: shapes: x [${x.shape}], logDet [${ldForward.shape}] for z [${z.shape}]`);
      }
      // Log-determinant against the autodiff Jacobian.
      const n = Math.min(z.shape[0], 8);
      const zs = tf.slice(z, [0, 0], [n, d]) as tf.Tensor2D;
      const rows = Array.from({ length: d }, (_, i) =>
        tf.grad((input: tf.Tensor) => tf.sum(tf.slice(bijector.apply(input as tf.Tensor2D), [0, i], [n, 1])))(zs).arraySync() as number[][],
      );
      const claimed = bijector.forwardAndLogDet(zs)[1].arraySync() as number[];
      for (let p = 0; p < n; p++) {
        const J = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) J[i * d + j] = rows[i]![p]![j]!;
        const expected = logAbsDet(J, d);
        if (!(Math.abs(expected - claimed[p]!) <= ldTol * (1 + Math.abs(expected)))) {
          throw new Error(`${name}: log|det Dψ| at point ${p} is ${claimed[p]}, the autodiff Jacobian gives ${expected}`);
        }
      }
    });
    // Gradients reach every parameter.
    const trainable = bijector.variables.filter((v) => v.trainable);
    if (trainable.length > 0) {
      const grads = tf.tidy(() => {
        const z = tf.mul(rng.fold(7).normal([16, d]), options.scale ?? 1) as tf.Tensor2D;
        const { grads } = tf.variableGrads(() => {
          const [x, ld] = bijector.forwardAndLogDet(z);
          const [zz, ld2] = bijector.inverseAndLogDet(z);
          return tf.addN([tf.sum(tf.square(x)), tf.sum(ld), tf.sum(tf.square(zz)), tf.sum(ld2)]) as tf.Scalar;
        }, trainable as tf.Variable[]);
        return grads;
      });
      try {
        for (const v of trainable) {
          const g = grads[v.name];
          const norm = g ? tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]!) : 0;
          if (!(norm > 0) || !Number.isFinite(norm)) {
            throw new Error(`${name}: the gradient does not reach variable "${v.name}" (|grad| = ${norm})`);
          }
        }
      } finally {
        tf.dispose(Object.values(grads));
      }
    }
    // Save/load.
    if (options.registry) {
      const record = mapToRecord(bijector);
      const copy = mapFromRecord(record, options.registry, name) as Bijector;
      try {
        tf.tidy(() => {
          const z = rng.fold(8).normal([8, d]) as tf.Tensor2D;
          const [a, la] = bijector.forwardAndLogDet(z);
          const [b, lb] = copy.forwardAndLogDet(z);
          assertClose(b, a, 1e-6, `${name}: reloaded map differs`);
          assertClose(lb, la, 1e-6, `${name}: reloaded log-det differs`);
        });
      } finally {
        copy.dispose();
      }
    }
  } finally {
    bijector.variables.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
  }
}
