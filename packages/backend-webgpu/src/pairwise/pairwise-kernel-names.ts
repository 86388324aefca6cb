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
