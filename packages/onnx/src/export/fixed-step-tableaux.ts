// The Butcher tableaux of the fixed-step ODE integrators of @pfm/flows that an unrolled sampler
// graph can hold (Hairer, Nørsett & Wanner, Solving ODEs I, II.1):
//   k_i = v(t0 + c_i h, y0 + h Σ_{j<i} a_ij k_j),   y1 = y0 + h Σ_i b_i k_i.

/** A Butcher tableau; row i of `a` holds a_(i+1)0 … a_(i+1)i. */
export interface FixedStepTableau {
  c: readonly number[];
  a: readonly (readonly number[])[];
  b: readonly number[];
}

/** Integrator ids an unrolled ONNX sampler supports, with the tableaux @pfm/flows uses for them. */
export const FIXED_STEP_TABLEAUX = {
  euler: { c: [0], a: [], b: [1] },
  midpoint: { c: [0, 0.5], a: [[0.5]], b: [0, 1] },
  heun: { c: [0, 1], a: [[1]], b: [0.5, 0.5] },
  rk4: { c: [0, 0.5, 0.5, 1], a: [[0.5], [0, 0.5], [0, 0, 1]], b: [1 / 6, 1 / 3, 1 / 3, 1 / 6] },
} as const satisfies Record<string, FixedStepTableau>;

/** An integrator id of {@link FIXED_STEP_TABLEAUX}. */
export type FixedStepIntegrator = keyof typeof FIXED_STEP_TABLEAUX;

/** The times t_0 … t_steps of `steps` equal steps from t0 to t1 (the grid of @pfm/core's `solve`). */
export function fixedStepTimes(t0: number, t1: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => (i === steps ? t1 : t0 + ((t1 - t0) * i) / steps));
}
