// S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β) on the host in Float64 (Feydy et al. 2019,
// AISTATS, eq. 4); the two symmetric terms use the averaged update f ← ½(f + T(f)).
import { toHostPoints, type Points } from '../points/points.js';
import { checkWeights } from '../wasserstein/check-weights.js';
import { diameter, sinkhornSettings, solveSinkhorn, solveSymmetricSinkhorn } from './log-domain-sinkhorn.js';
import type { SinkhornOptions } from './sinkhorn.js';

/** The debiased divergence and whether its three solves converged. */
export interface SinkhornDivergenceValue {
  readonly value: number;
  /** 'converged' / 'max-iterations' in mode 'tolerance'; 'completed' in mode 'scaling' (no stopping test). */
  readonly status: 'converged' | 'max-iterations' | 'completed';
}

/**
 * Debiased Sinkhorn divergence between `x` `[n, d]` and `y` `[m, d]` (tensors or rows) computed in
 * Float64 without tfjs: the metric form of `sinkhornDivergence`.
 * Source: Feydy, Séjourné, Vialard, Amari, Trouvé & Peyré 2019, AISTATS, eq. 4.
 */
export function sinkhornDivergenceValue(x: Points, y: Points, options: Omit<SinkhornOptions, 'plan'> = {}): SinkhornDivergenceValue {
  const where = 'sinkhornDivergenceValue';
  const s = sinkhornSettings(where, options);
  const hx = toHostPoints(x, `${where}: x`);
  const hy = toHostPoints(y, `${where}: y`);
  if (hx.d !== hy.d) throw new RangeError(`${where}: x and y must have the same dimension, got ${hx.d} and ${hy.d}`);
  const a = checkWeights(where, 'weightsX', options.weightsX, hx.n);
  const b = checkWeights(where, 'weightsY', options.weightsY, hy.n);
  const joint = s.mode === 'scaling' ? { diameter: diameter([hx, hy]) } : {};
  const xy = solveSinkhorn(hx, hy, a, b, s, joint);
  const xx = solveSymmetricSinkhorn(hx, a, s, joint);
  const yy = solveSymmetricSinkhorn(hy, b, s, joint);
  return {
    value: xy.value - 0.5 * (xx.value + yy.value),
    status: s.mode === 'scaling' ? 'completed' : xy.converged && xx.converged && yy.converged ? 'converged' : 'max-iterations',
  };
}
