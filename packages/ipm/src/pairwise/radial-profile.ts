// A radial kernel k(x, y) = κ(‖x − y‖²) as the fused pairwise loops read it: κ and its slope
// dκ/dr² evaluated over a run of squared distances at once, so each kernel's inner loop stays
// monomorphic and the gradient follows from ∇ₓκ(‖x − y‖²) = 2 κ'(‖x − y‖²)(x − y).

/**
 * The profile κ of a radial kernel k(x, y) = κ(‖x − y‖²) (up to terms f(x) + f(y), which cancel in
 * every MMD estimator). Used by the fused pairwise sums of `mmd` and `energyDistance`.
 */
export interface RadialProfile {
  /** κ(0), the value on the diagonal. */
  readonly atZero: number;
  /**
   * Σ_k κ(r2[k]) over k < `count`; when `slope` is given also writes slope[k] = κ'(r2[k]) = dκ/dr²
   * (0 where κ is not differentiable at r² = 0, the subgradient of ‖·‖ at the origin).
   */
  sum(r2: Float64Array, count: number, slope: Float64Array | null): number;
  /**
   * Optional closed form the fused loop evaluates inline in 2-D (one pass, no intermediate arrays):
   * `norm`: κ = scale·‖x − y‖; `gaussian`: κ = e^{rate·‖x − y‖²}. Must agree with `sum`.
   */
  readonly closedForm?: { readonly kind: 'norm'; readonly scale: number } | { readonly kind: 'gaussian'; readonly rate: number };
  /**
   * Optional: κ as the mean of kernels a backend may compute fused (the kernel
   * `PfmPairwiseKernelSum`, e.g. WGSL on webgpu): e^{−r²/(2ℓ²)} (`gaussian`) or e^{−r/ℓ}
   * (`laplace`) for each bandwidth ℓ listed. Must agree with `sum`.
   */
  readonly backendKernels?: readonly BackendKernel[];
}

/** A kernel `PfmPairwiseKernelSum` computes: its attributes `kernel` and `bandwidth` ℓ. */
export interface BackendKernel {
  readonly kernel: 'gaussian' | 'laplace';
  readonly bandwidth: number;
}
