// The independent coupling π = μ0 ⊗ μ1 (I-CFM, Tong et al. 2024, section 3.2): pairs as drawn.
import type { Coupling } from './coupling.js';

/** The product coupling: returns the pairs as drawn. */
export function independentCoupling(): Coupling {
  return { name: 'independent', pair: (x0, x1) => ({ x0, x1 }) };
}
