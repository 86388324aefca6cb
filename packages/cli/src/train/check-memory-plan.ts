import { largestBatchWithin, type MemoryPlan } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { defaultMemoryLimit, MACHINE_MEMORY, WASM_HEAP_BYTES, type MemorySource } from '../cli/memory-limit.js';
import { formatMemorySize } from '../cli/memory-size-flag.js';

/** The peak of one training step: data, parameters with their state, the run's own state, and the step's tensors. */
function stepBytes(plan: MemoryPlan): number {
  return plan.dataBytes + plan.parameterBytes + plan.stateBytes + plan.activationBytes;
}

/** The terms of a step's peak. */
function stepTerms(plan: MemoryPlan, batchSize: number): string {
  return (
    `data ${formatMemorySize(plan.dataBytes)} + ${plan.parameters} parameters with gradients and optimizer state ${formatMemorySize(plan.parameterBytes)} + ` +
    (plan.stateBytes > 0 ? `tensors the run holds (pairs, noise) ${formatMemorySize(plan.stateBytes)} + ` : '') +
    `one step at batch ${batchSize} ${formatMemorySize(plan.activationBytes)} (${formatMemorySize(plan.activationBytesPerRow)} a row)`
  );
}

/** The plan's terms on one line (printed with --verbose); a declared set-up pass is named with its own peak. */
export function describeMemoryPlan(plan: MemoryPlan, batchSize: number): string {
  if (plan.setupPass === undefined) return `memory plan: about ${formatMemorySize(plan.totalBytes)} = ${stepTerms(plan, batchSize)}`;
  return (
    `memory plan: about ${formatMemorySize(plan.totalBytes)}, the larger of a step, ${formatMemorySize(stepBytes(plan))} = ${stepTerms(plan, batchSize)}, ` +
    `and the set-up (${plan.setupPass}), ${formatMemorySize(plan.setupBytes)}`
  );
}

/** What to do about a set-up pass that does not fit (the batch size does not change it). */
function setupAdvice(plan: MemoryPlan): string {
  return `the batch size does not change it: ${plan.setupAdvice ?? 'train on fewer rows or a smaller network'}`;
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
 * which batch size fits, or which set-up pass (a flow's data-dependent initialisation) does not
 * fit whatever the batch. Allocates nothing: it reads only the plan's numbers.
 */
export function checkMemoryPlan(plan: MemoryPlan, batchSize: number, limits: MemoryPlanLimits = {}): void {
  const { maxMemory, backend, memory = MACHINE_MEMORY } = limits;
  const limit = maxMemory ?? defaultMemoryLimit(memory);
  const what = maxMemory !== undefined ? `--max-memory ${formatMemorySize(limit)}` : `the default --max-memory ${formatMemorySize(limit)} (80% of the memory available)`;
  const fits = (bytes: number) => {
    const batch = largestBatchWithin(plan, batchSize, bytes);
    return batch >= 1 ? `a --batch-size of at most ${batch} fits` : 'even a batch of one row does not fit: use a smaller network';
  };
  if (plan.setupBytes > limit) {
    throw new CliError(
      `the run's set-up (${plan.setupPass ?? 'set-up'}) needs about ${formatMemorySize(plan.setupBytes)}, more than ${what}; ${setupAdvice(plan)}`,
    );
  }
  if (stepBytes(plan) > limit) {
    throw new CliError(`the run needs about ${formatMemorySize(stepBytes(plan))}, more than ${what} (${stepTerms(plan, batchSize)}); ${fits(limit)}`);
  }
  // The host copy of the data (half of dataBytes) lives outside the wasm heap.
  const hostBytes = plan.dataBytes / 2;
  const onDevice: MemoryPlan = { ...plan, dataBytes: plan.dataBytes - hostBytes, setupBytes: Math.max(0, plan.setupBytes - hostBytes), totalBytes: plan.totalBytes - hostBytes };
  if (backend === 'wasm' && onDevice.setupBytes > WASM_HEAP_BYTES) {
    throw new CliError(
      `the run's set-up (${plan.setupPass ?? 'set-up'}) needs about ${formatMemorySize(onDevice.setupBytes)} of tensors, more than the wasm backend's ${formatMemorySize(WASM_HEAP_BYTES)} heap; ${setupAdvice(plan)}`,
    );
  }
  const heap = stepBytes(onDevice);
  if (backend === 'wasm' && heap > WASM_HEAP_BYTES) {
    const heapFits = largestBatchWithin(onDevice, batchSize, WASM_HEAP_BYTES);
    throw new CliError(
      `the run needs about ${formatMemorySize(heap)} of tensors, more than the wasm backend's ${formatMemorySize(WASM_HEAP_BYTES)} heap; ` +
        (heapFits >= 1 ? `a --batch-size of at most ${heapFits} fits` : 'even a batch of one row does not fit: use a smaller network or --backend cpu'),
    );
  }
}
