// The speed suite's measurements, run on the active tfjs backend:
//   a flow-matching training step (x_t ⊕ t → MLP → velocity, MSE, Adam) of the standard MLP
//   3 → 256×3 → 2 (SiLU) and of the 3×64 SELU MLP, batch 512;
//   energy distance and Gaussian MMD (median bandwidth) forward + gradient at 4096 against 4096;
//   matmul GFLOP/s (2n³ flops per n × n product).
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, createRng, mlp } from '@pfm/core';
import { energyDistance, mmd } from '@pfm/ipm';
import { median } from './median.js';

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
}

export interface SpeedSettings {
  repeats: number;
  /** Training steps timed per repeat. */
  trainSteps: number;
  /** Points per side of the discrepancy cases. */
  pairPoints: number;
  matmulSize: number;
}

async function sync(t: tf.Tensor): Promise<void> {
  await t.data();
}

/** Steps per second of a flow-matching step with `hidden`/`activation`, batch 512, Adam. */
async function trainingRate(hidden: number[], activation: 'silu' | 'selu', settings: SpeedSettings): Promise<number[]> {
  const rng = createRng(0);
  const net = mlp({ inputDim: 3, outputDim: 2, hidden, activation, init: activation === 'selu' ? 'lecun-normal' : 'glorot-uniform' }, rng);
  const optimizer = createOptimizer({ name: 'adam', lr: 1e-3 }, net.variables);
  const batch = 512;
  const step = (i: number) => {
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
  };
  const rates: number[] = [];
  try {
    for (let i = 0; i < 5; i++) step(i); // warm-up: kernel compilation, allocator
    await sync(net.variables[0]!);
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < settings.trainSteps; i++) step(10 + r * settings.trainSteps + i);
      await sync(net.variables[0]!);
      rates.push(settings.trainSteps / ((performance.now() - start) / 1000));
    }
  } finally {
    optimizer.dispose();
    net.dispose();
  }
  return rates;
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

/** Every case of the suite on the active backend, in table order. */
export async function runSpeedCases(settings: SpeedSettings, onCase?: (label: string) => void): Promise<SpeedResult[]> {
  const out: SpeedResult[] = [];
  const add = (id: string, label: string, unit: string, higherIsBetter: boolean, repeats: number[]) =>
    out.push({ id, label, unit, higherIsBetter, median: median(repeats), repeats });
  const p = settings.pairPoints;
  onCase?.('mlp-256');
  add('train-mlp-256-silu', 'FM training step, MLP 3→256×3→2 SiLU, batch 512, Adam', 'steps/s', true, await trainingRate([256, 256, 256], 'silu', settings));
  onCase?.('mlp-64');
  add('train-mlp-64-selu', 'FM training step, MLP 3→64×3→2 SELU, batch 512, Adam', 'steps/s', true, await trainingRate([64, 64, 64], 'selu', settings));
  onCase?.('energy');
  add('energy-grad', `energy distance forward + gradient, ${p} vs ${p}`, 's', false, await lossGradientSeconds((x, y) => energyDistance(x, y), settings));
  onCase?.('mmd');
  add('mmd-grad', `Gaussian MMD (median bandwidth) forward + gradient, ${p} vs ${p}`, 's', false, await lossGradientSeconds((x, y) => mmd(x, y), settings));
  onCase?.('matmul');
  add('matmul', `matmul ${settings.matmulSize}×${settings.matmulSize} float32`, 'GFLOP/s', true, await matmulRate(settings));
  return out;
}
