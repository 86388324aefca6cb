// [flow-matching] Conditional flow matching with the independent coupling (I-CFM; Lipman et al.
// 2023; Tong et al. 2024): regress v_θ(t, x_t) on x1 − (1 − σ_min) x0 along the linear path.
import { flowMatchingEntry } from './flow-matching-entry.js';

/** Registry entry `flow-matching` (independent coupling by default). */
export const flowMatching = flowMatchingEntry(
  'flow-matching',
  'Conditional flow matching (I-CFM): velocity regression on the linear noise-to-data path, sampled by an ODE integrator',
  'independent',
);
