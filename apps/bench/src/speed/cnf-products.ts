// The matrix products of one CNF and one flow-matching training step, timed alone: a lower bound on
// a step's time if everything but its products cost nothing. One step of each case of cnf-train.ts
// runs with the backend's BatchMatMul wrapped to record every call's shapes and transposes (the
// fused dense kernels run their products through the registered BatchMatMul too); then the same
// calls, on operands of those shapes made once, are replayed back to back, alternating blocks of
// whole steps and of replayed products in one process, and timed in CPU seconds
// (process.cpuUsage). The replay reuses its right operands, so XNNPACK's packing cache can serve
// the ones a step would have packed afresh: the bound is optimistic, as a lower bound should be.
import * as tf from '@tensorflow/tfjs-core';
import { median } from './median.js';
import { CNF_TRAIN_CASES, createCnfTrainStep, type CnfTrainCase } from './cnf-train.js';

/** One recorded product: op(a)·op(b) with a, b of these shapes. */
export interface ProductCall {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/** The products of one step of a case and their time against the whole step's. */
export interface CaseProducts {
  id: CnfTrainCase;
  /** Products per step. */
  products: number;
  /** Floating-point operations of the products per step, 2·m·n·k each. */
  flops: number;
  /** Median CPU seconds per step, whole step / products alone. */
  stepSeconds: number;
  productSeconds: number;
  /** Distinct product shapes, `a·b` with ᵀ for a transpose, and their count per step. */
  shapes: Record<string, number>;
}

/** 2·m·n·k summed over the calls (times the batch of a batched product). */
export function productFlops(calls: readonly ProductCall[]): number {
  let flops = 0;
  for (const c of calls) {
    const [ar, ac] = c.a.slice(-2) as [number, number];
    const [br, bc] = c.b.slice(-2) as [number, number];
    const m = c.transposeA ? ac : ar;
    const k = c.transposeA ? ar : ac;
    const n = c.transposeB ? br : bc;
    const batch = Math.max(c.a.slice(0, -2).reduce((p, v) => p * v, 1), c.b.slice(0, -2).reduce((p, v) => p * v, 1));
    flops += 2 * batch * m * n * k;
  }
  return flops;
}

/** Runs `run` with the active backend's BatchMatMul wrapped to record each call; restores it after. */
export function recordProducts(run: () => void): ProductCall[] {
  const backend = tf.getBackend();
  const config = tf.getKernel('BatchMatMul', backend);
  if (config == null) throw new Error(`cnf products: the ${backend} backend has no BatchMatMul kernel`);
  const calls: ProductCall[] = [];
  tf.unregisterKernel('BatchMatMul', backend);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      calls.push({ a: [...a.shape], b: [...b.shape], transposeA: Boolean(args.attrs?.transposeA), transposeB: Boolean(args.attrs?.transposeB) });
      return config.kernelFunc(args);
    },
  });
  try {
    run();
  } finally {
    tf.unregisterKernel('BatchMatMul', backend);
    tf.registerKernel(config);
  }
  return calls;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** Records and times case `id`: `rounds` alternations of `steps` whole steps and `steps` replays. */
export function caseProducts(id: CnfTrainCase, rounds: number, steps: number): CaseProducts {
  const { step, dispose } = createCnfTrainStep(id);
  try {
    for (let i = 0; i < 3; i++) step(i); // warm-up: allocator, XNNPACK operators
    const calls = recordProducts(() => step(3));
    const operands = calls.map((c, i) => ({ a: tf.randomNormal(c.a, 0, 1, 'float32', 2 * i), b: tf.randomNormal(c.b, 0, 1, 'float32', 2 * i + 1), attrs: { transposeA: c.transposeA, transposeB: c.transposeB } }));
    try {
      const replay = () => {
        for (const o of operands) (tf.engine().runKernel('BatchMatMul', { a: o.a, b: o.b }, o.attrs) as tf.Tensor).dispose();
      };
      replay();
      const stepTimes: number[] = [];
      const productTimes: number[] = [];
      let at = 10;
      for (let r = 0; r < rounds; r++) {
        let since = process.cpuUsage();
        for (let i = 0; i < steps; i++) step(at++);
        stepTimes.push(cpuSeconds(since) / steps);
        since = process.cpuUsage();
        for (let i = 0; i < steps; i++) replay();
        productTimes.push(cpuSeconds(since) / steps);
      }
      const shapes: Record<string, number> = {};
      for (const c of calls) {
        const key = `[${c.a.join(', ')}]${c.transposeA ? 'ᵀ' : ''}·[${c.b.join(', ')}]${c.transposeB ? 'ᵀ' : ''}`;
        shapes[key] = (shapes[key] ?? 0) + 1;
      }
      return { id, products: calls.length, flops: productFlops(calls), stepSeconds: median(stepTimes), productSeconds: median(productTimes), shapes };
    } finally {
      for (const o of operands) tf.dispose([o.a, o.b]);
    }
  } finally {
    dispose();
  }
}

/** Both cases; the flow-matching step is about 20 times cheaper, so it runs 10× the steps per block. */
export function cnfProducts(rounds: number, cnfSteps: number): CaseProducts[] {
  return CNF_TRAIN_CASES.map((id) => caseProducts(id, rounds, id === 'train-cnf-moons' ? cnfSteps : 10 * cnfSteps));
}

/** The markdown report: per case, products, GFLOP, CPU ms per step whole and products alone, the bound. */
export function cnfProductsTable(results: readonly CaseProducts[]): string {
  const fmt = (v: number, digits = 3) => v.toPrecision(digits);
  const lines = [
    '| case | products per step | MFLOP per step | CPU ms per step | products alone, CPU ms | products\' share | bound, steps per CPU s | today, steps per CPU s |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) =>
      `| ${r.id} | ${r.products} | ${fmt(r.flops / 1e6)} | ${fmt(r.stepSeconds * 1e3)} | ${fmt(r.productSeconds * 1e3)} | ${fmt((100 * r.productSeconds) / r.stepSeconds, 2)}% | ${fmt(1 / r.productSeconds)} | ${fmt(1 / r.stepSeconds)} |`,
    ),
  ];
  for (const r of results) {
    lines.push('', `${r.id}, product shapes (count per step): ${Object.entries(r.shapes).map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
