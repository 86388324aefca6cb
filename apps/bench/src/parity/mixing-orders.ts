// Explicit mixing layers for the coupling flows of a parity run (`--mixing-orders FILE`): the file
// gives, per method, dimension and seed, the column order of every mixing layer (the recipe field
// `options.mixingOrders` of realnvp and nsf), and both sides train with those orders instead of
// their own random draws. It separates what the draw of the permutations does from the rest of a
// run: pfm and the twin on one set of orders differ only by initialisation and minibatches.
import { readFileSync } from 'node:fs';

/** `{ method: { dim: { seed: orders } } }`, orders[b] the order after block b (data → noise). */
export type MixingOrdersFile = Record<string, Record<string, Record<string, number[][]>>>;

const COUPLING_METHODS = ['realnvp', 'nsf'];

/** Reads and checks the file's shape (each order a list of integers); throws naming the file and the entry. */
export function readMixingOrders(path: string): MixingOrdersFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--mixing-orders ${path}: not readable JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(parsed)) throw new Error(`--mixing-orders ${path}: expected an object { method: { dim: { seed: [[order], …] } } }`);
  for (const [method, byDim] of Object.entries(parsed)) {
    if (!COUPLING_METHODS.includes(method)) throw new Error(`--mixing-orders ${path}: "${method}" is not a coupling flow (expected ${COUPLING_METHODS.join(' or ')})`);
    if (!isObject(byDim)) throw new Error(`--mixing-orders ${path}: ${method} must map dimensions to objects`);
    for (const [dim, bySeed] of Object.entries(byDim)) {
      if (!isObject(bySeed)) throw new Error(`--mixing-orders ${path}: ${method}.${dim} must map seeds to lists of orders`);
      for (const [seed, orders] of Object.entries(bySeed)) {
        const ok = Array.isArray(orders) && orders.every((o) => Array.isArray(o) && o.every((i) => Number.isInteger(i)));
        if (!ok) throw new Error(`--mixing-orders ${path}: ${method}.${dim}.${seed} must be a list of orders (lists of column indices)`);
      }
    }
  }
  return parsed as MixingOrdersFile;
}

/** The orders the file gives for (method, dim, seed), or undefined (the run keeps its own draws). */
export function mixingOrdersFor(file: MixingOrdersFile | undefined, method: string, dim: number, seed: number): number[][] | undefined {
  return file?.[method]?.[String(dim)]?.[String(seed)];
}
