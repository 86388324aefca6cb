// The radial profiles of the MMD kernels as WGSL, for the row-sum and gradient programs of
// pairwise-distance-programs.ts (s = ‖p − q‖², ℓ the bandwidth, passed as uniforms.parameter):
//   Gaussian  κ(s) = e^{−s/(2ℓ²)},  ∇_p κ = −κ/ℓ² (p − q)          (Gretton et al. 2012, JMLR 13)
//   Laplace   κ(s) = e^{−√s/ℓ},     ∇_p κ = −κ/(ℓ√s) (p − q), 0 at s = 0 (the subgradient the
//                                   host loop and the composed form use; Rasmussen & Williams 2006, §4.2)
import { radialGradProgram, radialSumProgram, type PairwiseProgram, type RadialShader } from './pairwise-distance-programs.js';

/** The kernels `PfmPairwiseKernelSum` computes. */
export type PairwiseKernelKind = 'gaussian' | 'laplace';

const SHADERS: Record<PairwiseKernelKind, RadialShader> = {
  gaussian: {
    key: 'gaussian',
    snippet: `
  fn profileValue(s : f32) -> f32 {
    let l = uniforms.parameter;
    return exp(-s / (2.0 * l * l));
  }
  fn profileFactor(s : f32) -> f32 {
    let l = uniforms.parameter;
    return -exp(-s / (2.0 * l * l)) / (l * l);
  }
`,
  },
  laplace: {
    key: 'laplace',
    snippet: `
  fn profileValue(s : f32) -> f32 {
    return exp(-sqrt(max(s, 0.0)) / uniforms.parameter);
  }
  fn profileFactor(s : f32) -> f32 {
    if (s <= 0.0) { return 0.0; }
    let l = uniforms.parameter;
    let r = sqrt(s);
    return -exp(-r / l) / (l * r);
  }
`,
  },
};

/** Row sums r_i = Σ_j k(p_i, q_j) of p `[n, d]` against q `[m, d]` for the kernel `kind`; output `[n]`. */
export function pairwiseKernelSumProgram(kind: PairwiseKernelKind, n: number, d: number): PairwiseProgram {
  return radialSumProgram(SHADERS[kind], n, d);
}

/** g_i = Σ_j a_j ∇_p k(p_i, q_j) for p `[n, d]`, q `[m, d]`, a `[m]`; output `[n, d]`. */
export function pairwiseKernelGradProgram(kind: PairwiseKernelKind, n: number, d: number): PairwiseProgram {
  return radialGradProgram(SHADERS[kind], n, d);
}
