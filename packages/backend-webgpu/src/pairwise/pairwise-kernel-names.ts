// The kernel names of the fused pairwise distance sums. A backend package registers them; @pfm/ipm
// runs them through tf.engine().runKernel where the active backend has them (webgpu), and its
// composed or host path elsewhere. They are strings, not imports, so @pfm/ipm depends on no backend.

/**
 * `PfmPairwiseDistancePowerSum`: inputs x `[n, d]`, y `[m, d]`, attribute `exponent` β ∈ (0, 2);
 * output `[n]`, the row sums r_i = Σ_j ‖x_i − y_j‖^β, never forming the n×m block.
 */
export const PAIRWISE_DISTANCE_POWER_SUM = 'PfmPairwiseDistancePowerSum';

/**
 * `PfmPairwiseDistancePowerGrad`: inputs p `[n, d]`, q `[m, d]`, a `[m]`, attribute `exponent` β;
 * output `[n, d]`, g_i = Σ_j a_j β‖p_i − q_j‖^(β−2) (p_i − q_j), 0 for coinciding points.
 */
export const PAIRWISE_DISTANCE_POWER_GRAD = 'PfmPairwiseDistancePowerGrad';

/**
 * `PfmPairwiseKernelSum`: inputs x `[n, d]`, y `[m, d]`, attributes `kernel` (`'gaussian'` or
 * `'laplace'`) and `bandwidth` ℓ > 0; output `[n]`, the row sums r_i = Σ_j k(x_i, y_j) with
 * k = e^{−‖x − y‖²/(2ℓ²)} or e^{−‖x − y‖/ℓ}, never forming the n×m block (the MMD's pair sums).
 */
export const PAIRWISE_KERNEL_SUM = 'PfmPairwiseKernelSum';

/**
 * `PfmPairwiseKernelGrad`: inputs p `[n, d]`, q `[m, d]`, a `[m]`, attributes `kernel` and
 * `bandwidth`; output `[n, d]`, g_i = Σ_j a_j ∇_p k(p_i, q_j) (0 for coinciding points).
 */
export const PAIRWISE_KERNEL_GRAD = 'PfmPairwiseKernelGrad';

/**
 * `PfmSoftminRows`: inputs x `[n, d]`, y `[m, d]`, u `[m]`, attributes `epsilon` ε > 0 and `p` ≥ 1;
 * output `[n]`, out_i = −ε log Σ_j e^{u_j − ‖x_i − y_j‖^p/(p ε)}, the log-sum-exp rows of a
 * log-domain Sinkhorn update (u_j = log b_j + g_j/ε), never forming the n×m block.
 */
export const SOFTMIN_ROWS = 'PfmSoftminRows';

/**
 * `PfmSoftminRowsGrad`: inputs p `[n, d]`, q `[m, d]`, a `[n]`, b `[m]`, c `[m]`, attributes
 * `epsilon` and `p`; output `[n, d + 1]`: row i is g_i = Σ_j w_ij ‖p_i − q_j‖^(p−2)(p_i − q_j)
 * then Σ_j w_ij, with w_ij = c_j e^{a_i + b_j − ‖p_i − q_j‖^p/(p ε)} (the plan's entries when
 * a_i = out_i/ε and b_j = u_j).
 */
export const SOFTMIN_ROWS_GRAD = 'PfmSoftminRowsGrad';
