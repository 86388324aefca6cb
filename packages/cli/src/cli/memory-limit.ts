import { totalmem } from 'node:os';

/** The wasm backend keeps every tensor in one 32-bit WebAssembly heap: at most 4 GiB. */
export const WASM_HEAP_BYTES = 2 ** 32;

/**
 * The default --max-memory: 80% of the memory this process may use (the container's limit when
 * Node reports one, otherwise the machine's total), leaving room for the rest of the system.
 */
export function defaultMemoryLimit(): number {
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  const available = constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(0.8 * available);
}
