import { largestBatchWithin, type MemoryPlan } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { defaultMemoryLimit, MACHINE_MEMORY, WASM_HEAP_BYTES, type MemorySource } from '../cli/memory-limit.js';
import { formatMemorySize } from '../cli/memory-size-flag.js';

/** The plan's terms on one line (printed with --verbose). */
export function describeMemoryPlan(plan: MemoryPlan, batchSize: number): string {
  return (
    `memory plan: about ${formatMemorySize(plan.totalBytes)} = data ${formatMemorySize(plan.dataBytes)} + ${plan.parameters} parameters with ` +
    `gradients and optimizer state ${formatMemorySize(plan.parameterBytes)} + one step at batch ${batchSize} ${formatMemorySize(plan.activationBytes)} ` +
    `(${formatMemorySize(plan.activationBytesPerRow)} a row)`
  );
}

/** What {@link checkMemoryPlan} compares the plan with. */
export interface MemoryPlanLimits {
  /** --max-memory in bytes; undefined: the default, 80% of `memory`'s available memory. */
  maxMemory?: number;
  /** The active tfjs backend (wasm adds its 4 GiB heap as a limit). */
  backend?: string;
  /** Where the default limit reads the machine's memory (default: this machine). */
  memory?: MemorySource;
}

/**
 * Refuses a run whose plan is above --max-memory (default: 80% of the memory available) or, on
 * the wasm backend, whose tensors cannot fit its 4 GiB heap, with a one-line CliError that says
 * which batch size fits. Allocates nothing: it reads only the plan's numbers.
 */
export function checkMemoryPlan(plan: MemoryPlan, batchSize: number, limits: MemoryPlanLimits = {}): void {
  const { maxMemory, backend, memory = MACHINE_MEMORY } = limits;
  const limit = maxMemory ?? defaultMemoryLimit(memory);
  const what = maxMemory !== undefined ? `--max-memory ${formatMemorySize(limit)}` : `the default --max-memory ${formatMemorySize(limit)} (80% of the memory available)`;
  const fits = (bytes: number) => {
    const batch = largestBatchWithin(plan, batchSize, bytes);
    return batch >= 1 ? `a --batch-size of at most ${batch} fits` : 'even a batch of one row does not fit: use a smaller network';
  };
  if (plan.totalBytes > limit) {
    throw new CliError(`the run needs about ${formatMemorySize(plan.totalBytes)}, more than ${what} (${describeMemoryPlan(plan, batchSize).replace(/^memory plan: about \S+ \S+ = /, '')}); ${fits(limit)}`);
  }
  // The host copy of the data (half of dataBytes) lives outside the wasm heap.
  const heap = plan.totalBytes - plan.dataBytes / 2;
  if (backend === 'wasm' && heap > WASM_HEAP_BYTES) {
    const heapFits = largestBatchWithin({ ...plan, totalBytes: heap }, batchSize, WASM_HEAP_BYTES);
    throw new CliError(
      `the run needs about ${formatMemorySize(heap)} of tensors, more than the wasm backend's ${formatMemorySize(WASM_HEAP_BYTES)} heap; ` +
        (heapFits >= 1 ? `a --batch-size of at most ${heapFits} fits` : 'even a batch of one row does not fit: use a smaller network or --backend cpu'),
    );
  }
}
