// The thread count of `threads: 'auto'`. XNNPACK's pool splits every kernel across its threads and
// the caller waits for the slowest one, so a pool thread that the OS parks (another process on
// the core) stalls each kernel; a small network's kernels are too short to win back the hand-off.
// Measured on the project's 2-core machine (`pnpm bench:speed`, docs/benchmarks/backend-wasm.md):
//   idle:              3→64×3→2 SELU flow-matching step 205 → 227 steps/s (1 → 2 threads), 3×256 SiLU 54.5 → 70.6;
//   load average ≈ 20: the same 3×64 step (through the objective) 46.6 → 10.3 steps/s, a CNF step
//                      (a few times the work per kernel) 1.02 → 1.10.
// Rule: one thread when fewer than two cores are idle or the work is small; else the idle cores.

/** What `autoThreads` decides from. */
export interface AutoThreadsInput {
  /** Cores of the machine (`os.availableParallelism()`). */
  cores: number;
  /** One-minute load average before this process computes (`os.loadavg()[0]`); 0 where unknown. */
  loadAverage: number;
  /**
   * Work per kernel: `small` (vectors of a few dimensions through MLPs of width ≤ 256, the
   * toy data sets), `large` (images, convolutions), or unknown (decided from the load alone).
   */
  work?: 'small' | 'large';
}

/** The decision and why, for logs. */
export interface AutoThreadsDecision {
  threads: number;
  reason: string;
}

/** Idle cores needed before a pool of more than one thread is started. */
export const MIN_IDLE_CORES = 2;

/** The threads `'auto'` starts: 1 on a busy machine or for small work, else the idle cores (at least 2). */
export function autoThreads(input: AutoThreadsInput): AutoThreadsDecision {
  const { cores, loadAverage, work } = input;
  if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`autoThreads: cores must be a positive integer, got ${String(cores)}`);
  if (!(typeof loadAverage === 'number' && loadAverage >= 0 && Number.isFinite(loadAverage))) {
    throw new RangeError(`autoThreads: loadAverage must be a finite number ≥ 0, got ${String(loadAverage)}`);
  }
  if (work !== undefined && work !== 'small' && work !== 'large') throw new RangeError(`autoThreads: work must be 'small' or 'large', got ${JSON.stringify(work)}`);
  if (cores === 1) return { threads: 1, reason: 'one core' };
  if (work === 'small') return { threads: 1, reason: 'small work per kernel: one thread is as fast idle and much faster on a busy machine' };
  const idle = Math.floor(cores - loadAverage + 0.5);
  if (idle < MIN_IDLE_CORES) return { threads: 1, reason: `busy machine: load average ${loadAverage.toFixed(2)} on ${cores} cores leaves fewer than ${MIN_IDLE_CORES} idle` };
  const threads = Math.min(cores, idle);
  return { threads, reason: `${threads} idle core(s) of ${cores} (load average ${loadAverage.toFixed(2)})` };
}
