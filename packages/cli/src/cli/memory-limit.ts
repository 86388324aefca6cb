import { totalmem } from 'node:os';

/** The wasm backend keeps every tensor in one 32-bit WebAssembly heap: at most 4 GiB. */
export const WASM_HEAP_BYTES = 2 ** 32;

/** Where the default --max-memory reads the machine's memory from (injected by tests). */
export interface MemorySource {
  /** The machine's total memory in bytes (os.totalmem). */
  total(): number;
  /** The container's or cgroup's limit in bytes, 0 when there is none (process.constrainedMemory). */
  constrained(): number;
}

/** This machine: os.totalmem and, where Node.js has it, process.constrainedMemory. */
export const MACHINE_MEMORY: MemorySource = {
  total: () => totalmem(),
  constrained: () => (typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0),
};

/** The share of the available memory a run may plan for by default. */
export const DEFAULT_MEMORY_SHARE = 0.8;

/**
 * The default --max-memory: 80% of the memory this process may use (the container's limit when
 * Node reports one below the machine's total, otherwise the machine's total), leaving room for
 * the rest of the system.
 */
export function defaultMemoryLimit(source: MemorySource = MACHINE_MEMORY): number {
  const constrained = source.constrained();
  const total = source.total();
  const available = constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(DEFAULT_MEMORY_SHARE * available);
}
