// WGSL programs of the Sinkhorn softmin rows (the GPU twin of @pfm/ipm's host softminOperator),
// with C(p, q) = ‖p − q‖^P / P and ε the blur^P of the current iteration:
//   rows       out_i = −ε log Σ_j e^{u_j − C(p_i, q_j)/ε}                   (Feydy et al. 2019, AISTATS, §3)
//   gradient   g_i = Σ_j w_ij ∇₁C(p_i, q_j),  m_i = Σ_j w_ij,  w_ij = c_j e^{a_i + b_j − C(p_i, q_j)/ε}
// with ∇₁C(p, q) = ‖p − q‖^(P−2)(p − q) (0 at p = q for P < 2). One thread per row i keeps a
// running maximum and the sum of e^{v − max} (one pass, the log-sum-exp never overflows); q is
// loaded tile by tile into workgroup memory as in pairwise-distance-programs.ts: nothing n×m.
import { dimensionBucket, rowProgram, squaredDistanceSnippet, tiledLoop, tileRows, type PairwiseProgram } from './pairwise-distance-programs.js';

/** The uniforms of both programs, in this order: ε, the cost's power P, d. */
export const SOFTMIN_UNIFORMS = 'epsilon : f32, power : f32, dim : i32,';

const COST_SNIPPET = `
  fn cost(s : f32) -> f32 {
    let power = uniforms.power;
    if (power == 2.0) { return 0.5 * s; }
    if (s <= 0.0) { return 0.0; }
    if (power == 1.0) { return sqrt(s); }
    return pow(s, 0.5 * power) / power;
  }
  fn costFactor(s : f32) -> f32 {
    let power = uniforms.power;
    if (power == 2.0) { return 1.0; }
    if (s <= 0.0) { return 0.0; }
    if (power == 1.0) { return inverseSqrt(s); }
    return pow(s, 0.5 * power - 1.0);
  }
`;

/** out_i = −ε log Σ_j e^{u_j − C(p_i, q_j)/ε} for p `[n, d]`, q `[m, d]`, u `[m]`; output `[n]`. */
export function softminRowsProgram(n: number, d: number): PairwiseProgram {
  const bucket = dimensionBucket(d);
  const tile = tileRows(bucket);
  const program = rowProgram([n], n, ['P', 'Q', 'U'], `pfm_softmin_rows_${bucket}`, SOFTMIN_UNIFORMS);
  program.getUserCode = () => `
    ${COST_SNIPPET}
    var<workgroup> tileQ : array<f32, ${tile * bucket}>;
    fn main(index : i32) {
      let row = index;
      let inRange = row < uniforms.pShape[0];
      var top = -3.0e38;
      var total = 0.0;
      ${tiledLoop(tile, 'Q', `${squaredDistanceSnippet()}
          let v = U[j] - cost(s) / uniforms.epsilon;
          if (v > top) {
            total = total * exp(top - v) + 1.0;
            top = v;
          } else {
            total = total + exp(v - top);
          }`)}
      if (inRange) { setOutputAtIndex(row, -uniforms.epsilon * (top + log(total))); }
    }`;
  return program;
}

/**
 * For p `[n, d]`, q `[m, d]`, a `[n]`, b `[m]`, c `[m]`: output `[n, d + 1]`, row i holding
 * g_i (d values) then m_i, with w_ij = c_j e^{a_i + b_j − C(p_i, q_j)/ε}.
 */
export function softminRowsGradProgram(n: number, d: number): PairwiseProgram {
  const bucket = dimensionBucket(d);
  const tile = tileRows(bucket);
  const program = rowProgram([n, d + 1], n, ['P', 'Q', 'A', 'B', 'C'], `pfm_softmin_rows_grad_${bucket}`, SOFTMIN_UNIFORMS);
  program.getUserCode = () => `
    ${COST_SNIPPET}
    var<workgroup> tileQ : array<f32, ${tile * bucket}>;
    fn main(index : i32) {
      let row = index;
      let inRange = row < uniforms.pShape[0];
      var acc : array<f32, ${bucket}>;
      var mass = 0.0;
      ${tiledLoop(tile, 'Q', `${squaredDistanceSnippet()}
          let w = C[j] * exp(A[row] + B[j] - cost(s) / uniforms.epsilon);
          mass = mass + w;
          let f = w * costFactor(s);
          for (var c = 0; c < d; c = c + 1) {
            acc[c] = acc[c] + f * (P[row * d + c] - tileQ[t * d + c]);
          }`)}
      if (inRange) {
        let d = uniforms.dim;
        for (var c = 0; c < d; c = c + 1) { setOutputAtIndex(row * (d + 1) + c, acc[c]); }
        setOutputAtIndex(row * (d + 1) + d, mass);
      }
    }`;
  return program;
}
