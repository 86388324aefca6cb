import { fusedPairwiseAvailable } from './fused-pairwise-available.js';

/** Resolves a `fused` option: a boolean, or undefined for "fused on host backends (cpu, wasm)". */
export function checkFused(where: string, value: unknown): boolean {
  if (value === undefined) return fusedPairwiseAvailable();
  if (typeof value !== 'boolean') throw new TypeError(`${where}: fused must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}
