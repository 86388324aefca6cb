// Runs the matrix's runs in N child processes (`pnpm bench --jobs N`): each child is a fresh
// node process with its own tfjs and wasm heap (`dist/matrix-worker.js`), takes one run at a
// time from a shared queue, and sends back the run's output, or its error, and the CPU seconds
// it used. The parent keeps the only copy of results.json and writes it after every run, as the
// one-process matrix does. A child that dies mid-run (a wasm heap fault, say) costs that run
// only: it is recorded as failed and a new child takes the rest of the queue.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrainProgress } from '@pfm/core';
import type { RunOutput } from './run-one.js';

/** What a child needs to set itself up, once. */
export interface WorkerInit {
  backend: 'wasm' | 'cpu';
  /** Threads of each child's wasm backend. */
  threads: number;
}

/** One run, as plain data (it crosses a process boundary). */
export interface MatrixTask {
  id: number;
  recipe: Record<string, unknown>;
  /** A name of `BENCH_DATASETS`. */
  dataset: string;
  seed: number;
  samples: number;
  trainSize: number;
  /** Every config's recipe for this data set, by name, to resolve `$teacher:<name>`. */
  teachers: Record<string, Record<string, unknown>>;
}

/** How a run ended in its child. */
export type TaskResult =
  | { ok: true; out: RunOutput; cpuSeconds: number; leakedTensors: number }
  | { ok: false; message: string; cpuSeconds: number | null; leakedTensors: number | null };

/** Parent → child. */
export type ToWorker = { type: 'run'; task: MatrixTask };
/** Child → parent. */
export type FromWorker =
  | { type: 'progress'; id: number; progress: Pick<TrainProgress, 'step' | 'steps' | 'loss'> }
  | { type: 'result'; id: number; result: TaskResult };

export interface PoolOptions {
  jobs: number;
  init: WorkerInit;
  /** The child's script (default: `matrix-worker.js` beside this module, i.e. in `dist/`). */
  workerUrl?: URL;
  onStart?: (task: MatrixTask) => void;
  onProgress?: (task: MatrixTask, progress: FromWorker & { type: 'progress' }) => void;
  /** Called once per task, in completion order. */
  onResult: (task: MatrixTask, result: TaskResult) => void;
}

/** The child's script, built beside this module. */
export function matrixWorkerUrl(): URL {
  return new URL('./matrix-worker.js', import.meta.url);
}

/** Runs `tasks` in `options.jobs` children; resolves when every task has a result. */
export function runPool(tasks: readonly MatrixTask[], options: PoolOptions): Promise<void> {
  const queue = [...tasks];
  const script = fileURLToPath(options.workerUrl ?? matrixWorkerUrl());
  let running = 0;
  return new Promise((resolvePool, rejectPool) => {
    let failedToStart = false;
    const startChild = () => {
      const child: ChildProcess = fork(script, [JSON.stringify(options.init)], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      running++;
      let current: MatrixTask | undefined;
      let ended = false;
      const next = () => {
        current = queue.shift();
        if (current === undefined) {
          ended = true;
          child.disconnect();
          return;
        }
        options.onStart?.(current);
        child.send({ type: 'run', task: current } satisfies ToWorker);
      };
      child.on('message', (raw) => {
        const message = raw as FromWorker;
        if (current === undefined || message.id !== current.id) return;
        if (message.type === 'progress') options.onProgress?.(current, message);
        else {
          options.onResult(current, message.result);
          next();
        }
      });
      child.on('error', (error) => {
        if (!failedToStart && current === undefined && !ended) {
          failedToStart = true;
          rejectPool(new Error(`--jobs: could not start ${script}: ${error.message}`));
        }
      });
      child.on('exit', (code, signal) => {
        running--;
        if (current !== undefined) {
          // Died mid-run: that run fails, a new child takes over the queue.
          options.onResult(current, { ok: false, message: `the worker process exited (code ${code}, signal ${signal}) during this run`, cpuSeconds: null, leakedTensors: null });
          current = undefined;
          if (queue.length > 0 && !failedToStart) startChild();
        }
        if (running === 0 && !failedToStart) resolvePool();
      });
      next();
    };
    const n = Math.max(1, Math.min(options.jobs, queue.length));
    if (queue.length === 0) {
      resolvePool();
      return;
    }
    for (let i = 0; i < n; i++) startChild();
  });
}
