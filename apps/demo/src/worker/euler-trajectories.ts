// Paths of the learned ODE dx/dt = v_θ(t, x) from noise at t = 0 to data at t = 1, by explicit
// Euler: x_{k+1} = x_k + h v_θ(t_k, x_k), h = 1/steps (the flows' time convention).
import * as tf from '@tensorflow/tfjs-core';
import type { Model, Rng, VectorField } from '@pfm/core';

/** The velocity field of a flow model (map role `velocity`), or undefined for other models. */
export function velocityField(model: Model): VectorField | undefined {
  const map = model.maps.velocity as Partial<VectorField> | undefined;
  return map && typeof map.evaluate === 'function' && model.dim === 2 ? (map as VectorField) : undefined;
}

/**
 * Euler paths of `paths` noise points: `values` is `[steps + 1, paths, dim]` row-major. A
 * class-conditional field follows path i with class i mod `classes` (every class is drawn).
 */
export function eulerTrajectories(
  field: VectorField,
  rng: Rng,
  options: { paths: number; steps: number; classes?: number },
): { frames: number; paths: number; values: Float32Array } {
  const { paths, steps, classes } = options;
  const dim = field.dim;
  const frames = steps + 1;
  const values = new Float32Array(frames * paths * dim);
  const h = 1 / steps;
  const states = tf.tidy(() => {
    let x = rng.normal([paths, dim]) as tf.Tensor2D;
    const condition = classes !== undefined ? { values: tf.tensor1d(Int32Array.from({ length: paths }, (_, i) => i % classes), 'int32') } : undefined;
    const out: tf.Tensor2D[] = [x];
    for (let k = 0; k < steps; k++) {
      x = tf.add(x, tf.mul(field.evaluate(k * h, x, condition), h));
      out.push(x);
    }
    return tf.stack(out);
  });
  try {
    values.set(states.dataSync());
  } finally {
    states.dispose();
  }
  return { frames, paths, values };
}
