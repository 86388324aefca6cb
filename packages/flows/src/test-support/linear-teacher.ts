import { mapToRecord, timeMlp, createRng, type ModelFileContent, type Registry } from '@pfm/core';
import * as tf from '@tensorflow/tfjs-core';

/** Coefficients of the linear teacher field v_i(t, x) = a_i x_i + c_i t + b_i. */
export const LINEAR_FIELD = { a: [-0.5, 0.3], c: [1, -0.5], b: [0.2, 0.1] };

/**
 * χ₁(z) of the linear field, in closed form: x_i(1) = e^{a} z_i + b (e^{a} − 1)/a + c (e^{a} − 1 − a)/a²,
 * from ∫₀¹ e^{a(1−s)} ds = (e^a − 1)/a and ∫₀¹ s e^{a(1−s)} ds = (e^a − 1 − a)/a².
 */
export function linearFlowEndpoint(z: number[]): number[] {
  return z.map((zi, i) => {
    const a = LINEAR_FIELD.a[i]!;
    const ea = Math.exp(a);
    return ea * zi + (LINEAR_FIELD.b[i]! * (ea - 1)) / a + (LINEAR_FIELD.c[i]! * (ea - 1 - a)) / (a * a);
  });
}

/**
 * The model-file content of a flow-matching model whose velocity is the linear field above (a
 * time-mlp with no hidden layer: input [x1, x2, t], kernel [[a1, 0], [0, a2], [c1, c2]], bias b),
 * sampled with 20 rk4 steps (error ≈ 1e-7).
 */
export function linearTeacherContent(registry: Registry): ModelFileContent {
  const field = timeMlp({ dim: 2, hidden: [] }, createRng(0));
  const { a, b, c } = LINEAR_FIELD;
  tf.tidy(() => {
    field.variables[0]!.assign(tf.tensor2d([[a[0]!, 0], [0, a[1]!], [c[0]!, c[1]!]]));
    field.variables[1]!.assign(tf.tensor1d(b));
  });
  const content: ModelFileContent = {
    method: 'flow-matching',
    options: registry.parseOptions('objective', 'flow-matching', { sampler: { integrator: 'rk4', steps: 20 } }),
    dim: 2,
    plugins: registry.plugins.map((p) => ({ name: p.name, version: p.version })),
    maps: { velocity: mapToRecord(field) },
    extra: {},
  };
  field.dispose();
  return content;
}
