/**
 * An optimal transport plan π between x `[n, d]` (weights a) and y `[m, d]` (weights b):
 * - `assignment` (equal sizes, uniform weights): x_i is sent to y_{assignment[i]}, mass 1/n each;
 * - `sparse`: the nonzero entries π(rows[k], cols[k]) = mass[k].
 */
export type TransportPlan =
  | { readonly kind: 'assignment'; readonly assignment: Int32Array }
  | { readonly kind: 'sparse'; readonly rows: Int32Array; readonly cols: Int32Array; readonly mass: Float64Array };
