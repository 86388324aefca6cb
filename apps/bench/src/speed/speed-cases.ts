// The speed suite's measurements, run on the active tfjs backend:
//   a flow-matching training step (x_t ⊕ t → MLP → velocity, MSE, Adam) of the standard MLP
//   3 → 256×3 → 2 (SiLU) and of the 3×64 SELU MLP, batch 512;
//   a CNF and a flow-matching step of the benchmark's moons recipe through their objectives (cnf-train.ts);
//   energy distance and Gaussian MMD (median bandwidth) forward + gradient at 4096 against 4096;
//   matmul GFLOP/s (2n³ flops per n × n product);
//   forward + backward of a 3×3 convolution stack at MNIST U-Net shapes, batch 64 (conv-layer-train.ts);
//   a training step of the default MNIST unet (flow matching) and conv-generator (energy), batch 64 (image-train.ts);
//   sampling a one-step generator and 100 Euler steps of a velocity field in tfjs and onnxruntime (onnx-sampling.ts).
//   one trainer step of the default flow-matching recipe on 1 or 10⁴ points of dimension 10⁴ or 10⁵ (wide-data-step.ts).
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, createRng, mlp, type OptimizerPath } from '@pfm/core';
import { energyDistance, mmd } from '@pfm/ipm';
import { CNF_TRAIN_CASES, cnfTrainLabel, cnfTrainRate } from './cnf-train.js';
import { convLayerSkipReason, convLayerSteps, convLayerTrainRate } from './conv-layer-train.js';
import { IMAGE_TRAIN_CASES, imageTrainLabel, imageTrainRate, imageTrainStep } from './image-train.js';
import { median } from './median.js';
import { ONNX_SAMPLING_CASES, onnxSamplingLabel, onnxSamplingRate, onnxSamplingSkipReason } from './onnx-sampling.js';
import { WIDE_DATA_CASES, describeWideDataMeasurement, wideDataLabel, wideDataSkipReason, wideDataStep } from './wide-data-step.js';

/** One measured quantity: the median over repeats, and every repeat. */
export interface SpeedResult {
  id: string;
  label: string;
  unit: string;
  /** true when larger is better (rates), false for times. */
  higherIsBetter: boolean;
  median: number;
  repeats: number[];
  note?: string;
  /** Trainable scalars of the network a training case times (compared with its twin's). */
  parameters?: number;
  /**
   * The MLP training cases: steps per CPU second of this process (every thread), one per repeat,
   * and their median; on a shared machine CPU time is what compares with the twin's.
   */
  cpuRepeats?: number[];
  cpuMedian?: number;
}

export interface SpeedSettings {
  repeats: number;
  /** Training steps timed per repeat. */
  trainSteps: number;
  /** Points per side of the discrepancy cases. */
  pairPoints: number;
  matmulSize: number;
  /** Case ids to run (all when absent). */
  cases?: string[];
  /** Also profile the training steps per kernel over this many steps. */
  profileSteps?: number;
  /** Force the optimizer's path (stock tfjs: 'tensor', its kernels only); default: the backend's. */
  optimizerPath?: OptimizerPath;
}

async function sync(t: tf.Tensor): Promise<void> {
  await t.data();
}

/** A flow-matching training step of the MLP 3 → hidden → 2, batch 512, Adam, ready to run. */
interface TrainingStep {
  /** Runs step number i (its batch is drawn from the seed and i). */
  run(i: number): void;
  /** Waits until every step queued so far has computed. */
  sync(): Promise<void>;
  dispose(): void;
}

function trainingStep(hidden: number[], activation: 'silu' | 'selu', path?: OptimizerPath): TrainingStep {
  const rng = createRng(0);
  const net = mlp({ inputDim: 3, outputDim: 2, hidden, activation, init: activation === 'selu' ? 'lecun-normal' : 'glorot-uniform' }, rng);
  const optimizer = createOptimizer({ name: 'adam', lr: 1e-3 }, net.variables, path);
  const batch = 512;
  return {
    run(i: number) {
      const r = rng.fold(1000 + i);
      tf.tidy(() => {
        const x0 = r.normal([batch, 2]);
        const x1 = tf.add(r.normal([batch, 2]), 2);
        const t = r.uniform([batch, 1]);
        const xt = tf.add(tf.mul(tf.sub(1, t), x0), tf.mul(t, x1));
        const target = tf.sub(x1, x0);
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(net.apply(tf.concat([xt, t], 1) as tf.Tensor2D), target))) as tf.Scalar, net.variables as tf.Variable[]);
        optimizer.apply(net.variables.map((v) => grads[v.name]!), i, 1_000_000);
        value.dispose();
      });
    },
    sync: () => sync(net.variables[0]!),
    dispose() {
      optimizer.dispose();
      net.dispose();
    },
  };
}

/** Steps per second of a flow-matching step with `hidden`/`activation`, batch 512, Adam: per wall and per CPU second, one of each per repeat. */
async function trainingRate(hidden: number[], activation: 'silu' | 'selu', settings: SpeedSettings): Promise<{ wall: number[]; cpu: number[] }> {
  const step = trainingStep(hidden, activation, settings.optimizerPath);
  const wall: number[] = [];
  const cpu: number[] = [];
  try {
    for (let i = 0; i < 5; i++) step.run(i); // warm-up: kernel compilation, allocator
    await step.sync();
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < settings.trainSteps; i++) step.run(10 + r * settings.trainSteps + i);
      await step.sync();
      const used = process.cpuUsage(cpuStart);
      wall.push(settings.trainSteps / ((performance.now() - start) / 1000));
      cpu.push(settings.trainSteps / ((used.user + used.system) / 1e6));
    }
  } finally {
    step.dispose();
  }
  return { wall, cpu };
}

/** One kernel's cost in a profiled training step. */
export interface KernelCost {
  kernel: string;
  /** Calls per step. */
  calls: number;
  /** Wall-clock milliseconds per step spent inside the kernel. */
  ms: number;
}

/** A profiled network: hidden widths and activation. */
export interface ProfiledModel {
  hidden: number[];
  activation: 'silu' | 'selu';
}

/** Per-kernel cost of a training step, averaged over `steps` steps. */
export interface TrainingProfile {
  /** The network, e.g. "MLP 3→256×3→2 SiLU". */
  model: string;
  steps: number;
  /** Wall-clock milliseconds of one step while profiled. */
  stepMs: number;
  /** Milliseconds per step inside kernels (the sum of `kernels`); the rest is tfjs's engine, the tape and JS. */
  kernelMs: number;
  /** Most expensive first. */
  kernels: KernelCost[];
}

/**
 * Profiles a training step (default: the MLP 3→256×3→2 SiLU) with tf.profile: each kernel the
 * engine runs (forward, gradient and Adam, unless Adam runs as host loops) with its wall-clock time. The cpu and wasm kernels compute
 * synchronously on the calling thread, so the time around each call is the kernel's own cost
 * (the threads of the wasm pool work inside it).
 */
export async function profileTrainingStep(
  steps: number,
  model: ProfiledModel = { hidden: [256, 256, 256], activation: 'silu' },
  path?: OptimizerPath,
): Promise<TrainingProfile> {
  const step = trainingStep(model.hidden, model.activation, path);
  const name = `MLP 3→${model.hidden[0]}×${model.hidden.length}→2 ${model.activation === 'silu' ? 'SiLU' : 'SELU'}`;
  try {
    for (let i = 0; i < 5; i++) step.run(i);
    await step.sync();
    let wall = 0;
    const info = await tf.profile(async () => {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step.run(10 + i);
      await step.sync();
      wall = performance.now() - start;
    });
    const byKernel = new Map<string, KernelCost>();
    for (const k of info.kernels) {
      const cost = byKernel.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
      cost.calls += 1 / steps;
      cost.ms += (k.kernelTimeMs as number) / steps;
      byKernel.set(k.name, cost);
    }
    const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
    return { model: name, steps, stepMs: wall / steps, kernelMs: kernels.reduce((sum, k) => sum + k.ms, 0), kernels };
  } finally {
    step.dispose();
  }
}

/** Seconds of one forward + gradient (w.r.t. x) of `loss` at n against n 2-D points. */
async function lossGradientSeconds(loss: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar, settings: SpeedSettings): Promise<number[]> {
  const rng = createRng(1);
  const n = settings.pairPoints;
  const x = rng.normal([n, 2]) as tf.Tensor2D;
  const y = tf.tidy(() => tf.add(rng.normal([n, 2]), 0.5)) as tf.Tensor2D;
  const once = async () => {
    const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => loss(a as tf.Tensor2D, y))(x);
    await sync(grad);
    tf.dispose([value, grad]);
  };
  const times: number[] = [];
  try {
    await once();
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      await once();
      times.push((performance.now() - start) / 1000);
    }
  } finally {
    tf.dispose([x, y]);
  }
  return times;
}

/** GFLOP/s of an n × n float32 matmul (2n³ flops). */
async function matmulRate(settings: SpeedSettings): Promise<number[]> {
  const n = settings.matmulSize;
  const rng = createRng(2);
  const a = rng.normal([n, n]) as tf.Tensor2D;
  const b = rng.normal([n, n]) as tf.Tensor2D;
  const rates: number[] = [];
  try {
    const warm = tf.matMul(a, b);
    await sync(warm);
    warm.dispose();
    for (let r = 0; r < settings.repeats; r++) {
      const reps = 5;
      const start = performance.now();
      for (let i = 0; i < reps; i++) {
        const c = tf.matMul(a, b);
        await sync(c);
        c.dispose();
      }
      rates.push((reps * 2 * n ** 3) / ((performance.now() - start) / 1000) / 1e9);
    }
  } finally {
    tf.dispose([a, b]);
  }
  return rates;
}

/** One case of the suite: what it measures and how; nothing runs until `measure`. */
interface SpeedCase {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** One value per repeat; or, for the MLP training cases, the wall rates and the CPU rates. */
  measure: () => Promise<number[] | { wall: number[]; cpu: number[] }>;
  skip?: () => string | undefined;
  parameters?: () => number;
}

/** Every case of the suite, in table order. */
function speedCases(settings: SpeedSettings, onCase?: (label: string) => void): SpeedCase[] {
  const p = settings.pairPoints;
  return [
    { id: 'train-mlp-256-silu', label: 'FM training step, MLP 3→256×3→2 SiLU, batch 512, Adam', unit: 'steps/s', higherIsBetter: true, measure: () => trainingRate([256, 256, 256], 'silu', settings) },
    { id: 'train-mlp-64-selu', label: 'FM training step, MLP 3→64×3→2 SELU, batch 512, Adam', unit: 'steps/s', higherIsBetter: true, measure: () => trainingRate([64, 64, 64], 'selu', settings) },
    ...CNF_TRAIN_CASES.map((id) => ({ id, label: cnfTrainLabel(id), unit: 'steps/s', higherIsBetter: true, measure: () => cnfTrainRate(id, settings) })),
    { id: 'energy-grad', label: `energy distance forward + gradient, ${p} vs ${p}`, unit: 's', higherIsBetter: false, measure: () => lossGradientSeconds((x, y) => energyDistance(x, y), settings) },
    { id: 'mmd-grad', label: `Gaussian MMD (median bandwidth) forward + gradient, ${p} vs ${p}`, unit: 's', higherIsBetter: false, measure: () => lossGradientSeconds((x, y) => mmd(x, y), settings) },
    // The same two losses through the composed tfjs ops (n×m matrices), the path the fused ops replace.
    { id: 'energy-grad-composed', label: `energy distance forward + gradient, composed tfjs ops, ${p} vs ${p}`, unit: 's', higherIsBetter: false, measure: () => lossGradientSeconds((x, y) => energyDistance(x, y, { fused: false }), settings) },
    { id: 'mmd-grad-composed', label: `Gaussian MMD (median bandwidth) forward + gradient, composed tfjs ops, ${p} vs ${p}`, unit: 's', higherIsBetter: false, measure: () => lossGradientSeconds((x, y) => mmd(x, y, { fused: false }), settings) },
    { id: 'matmul', label: `matmul ${settings.matmulSize}×${settings.matmulSize} float32`, unit: 'GFLOP/s', higherIsBetter: true, measure: () => matmulRate(settings) },
    { id: 'conv-layer-train', label: `forward + backward, 3×3 conv stack 1→32→32 (28×28), pool, 32→64 (14×14), SiLU, batch 64, ${convLayerSteps(settings.trainSteps)} steps per repeat`, unit: 'steps/s', higherIsBetter: true, measure: () => convLayerTrainRate(settings), skip: convLayerSkipReason },
    ...IMAGE_TRAIN_CASES.map((id) => ({
      id,
      label: imageTrainLabel(id, settings.trainSteps),
      unit: 'steps/s',
      higherIsBetter: true,
      measure: () => imageTrainRate(id, settings),
      // The same needs as conv-layer-train: filter gradients on a backend fast enough to convolve.
      skip: convLayerSkipReason,
      parameters: () => {
        const step = imageTrainStep(id);
        const count = step.parameters;
        step.dispose();
        return count;
      },
    })),
    ...ONNX_SAMPLING_CASES.map((id) => ({
      id,
      label: onnxSamplingLabel(id),
      unit: 'samples/s',
      higherIsBetter: true,
      measure: () => onnxSamplingRate(id, settings),
      skip: () => onnxSamplingSkipReason(id),
    })),
    ...WIDE_DATA_CASES.map((id) => ({
      id,
      label: wideDataLabel(id),
      unit: 's',
      higherIsBetter: false,
      measure: async () => {
        const measured = await wideDataStep(id, Math.min(settings.repeats, 3));
        onCase?.(describeWideDataMeasurement(id, measured));
        return measured.seconds;
      },
      skip: () => wideDataSkipReason(id),
    })),
  ];
}

/** The id of every case of the suite, in table order (what `--cases` takes). */
export function speedCaseIds(): string[] {
  return speedCases({ repeats: 1, trainSteps: 1, pairPoints: 1, matmulSize: 1 }).map((c) => c.id);
}

/** Every case of the suite on the active backend, in table order (only `settings.cases` when given). */
export async function runSpeedCases(settings: SpeedSettings, onCase?: (label: string) => void): Promise<SpeedResult[]> {
  const out: SpeedResult[] = [];
  const cases = speedCases(settings, onCase);
  const unknown = (settings.cases ?? []).filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`unknown speed case(s) ${unknown.join(', ')}; expected some of ${cases.map((c) => c.id).join(', ')}`);
  for (const c of cases) {
    if (settings.cases !== undefined && !settings.cases.includes(c.id)) continue;
    const skipped = c.skip?.();
    if (skipped !== undefined) {
      onCase?.(`${c.id} skipped: ${skipped}`);
      continue;
    }
    onCase?.(c.id);
    const measured = await c.measure();
    const repeats = Array.isArray(measured) ? measured : measured.wall;
    const cpu = Array.isArray(measured) ? {} : { cpuRepeats: measured.cpu, cpuMedian: median(measured.cpu) };
    out.push({ id: c.id, label: c.label, unit: c.unit, higherIsBetter: c.higherIsBetter, median: median(repeats), repeats, ...cpu, ...(c.parameters ? { parameters: c.parameters() } : {}) });
  }
  return out;
}
