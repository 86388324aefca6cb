// The logit transform y = logit(λ + (1 − 2λ) x̃) as the last (data-side) layer of a flow: its
// inverse x̃ = (σ(y) − λ)/(1 − 2λ) is the sigmoid onto the box [lo, hi] with
//   lo = −λ/(1 − 2λ),  hi = (1 − λ)/(1 − 2λ)   (so x̃ = lo + (hi − lo) σ(y)),
// whose exact log-Jacobian log|dy/dx̃| = log(1 − 2λ) − log p − log(1 − p), p = λ + (1 − 2λ) x̃,
// enters log p(x̃) through the chain (Dinh, Sohl-Dickstein & Bengio 2017, "Real NVP", §4.1).
import type { MapSpec } from '@pfm/core';

/** The `sigmoid` bijector spec on R^dim whose inverse is y = logit(λ + (1 − 2λ) x̃). */
export function logitTransformSpec(dim: number, lambda: number): MapSpec {
  if (!(lambda > 0 && lambda < 0.5)) throw new RangeError(`logitTransformSpec: lambda must be in (0, 0.5), got ${lambda}`);
  const width = 1 - 2 * lambda;
  return { type: 'sigmoid', options: { dim, low: -lambda / width, high: (1 - lambda) / width } };
}
