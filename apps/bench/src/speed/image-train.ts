// The image speed cases: one optimizer step (Adam, lr 1e-3) of pfm's default MNIST networks on a
// batch of 64 MNIST-shaped images [64, 28·28·1] with pixels U[0, 1]:
//   train-unet-mnist            flow matching (I-CFM) with the default unet:
//                               L = mean ‖v_θ(t, (1 − t) x0 + t x1) − (x1 − x0)‖², x0 ~ N(0, I), t ~ U[0, 1]
//                               (Lipman et al. 2023, eq. 9);
//   train-conv-generator-mnist  the energy generator with the default conv-generator (latent 64):
//                               L = energy distance(φ(z), x), z ~ N(0, I_64) (Székely & Rizzo 2013, eq. 3.3).
// Their PyTorch twin is reference/mnist-twin.py --speed (the same networks in NCHW).
import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_LATENT_DIM, convGenerator, createOptimizer, createRng, unet, type OptimizerPath, type Rng } from '@pfm/core';
import { energyDistance } from '@pfm/ipm';
import type { KernelCost, TrainingProfile } from './speed-cases.js';

/** The ids of the image speed cases. */
export const IMAGE_TRAIN_CASES = ['train-unet-mnist', 'train-conv-generator-mnist'] as const;
export type ImageTrainCase = (typeof IMAGE_TRAIN_CASES)[number];

/** Images per step. */
export const IMAGE_TRAIN_BATCH = 64;

const SHAPE: [number, number, number] = [28, 28, 1];
const DIM = SHAPE[0] * SHAPE[1] * SHAPE[2];

/** Steps timed per repeat: a 25th of the MLP cases' (at least 2); a step costs some thousand of theirs. */
export function imageTrainSteps(trainSteps: number): number {
  return Math.max(2, Math.ceil(trainSteps / 25));
}

/** Table label of a case. */
export function imageTrainLabel(id: ImageTrainCase, trainSteps: number): string {
  const steps = `${imageTrainSteps(trainSteps)} steps per repeat`;
  return id === 'train-unet-mnist'
    ? `FM training step, default unet (28×28×1, channels 16·[1, 2, 2]), batch ${IMAGE_TRAIN_BATCH}, Adam, ${steps}`
    : `energy training step, default conv-generator (latent ${IMAGE_LATENT_DIM} → 28×28×1), batch ${IMAGE_TRAIN_BATCH}, Adam, ${steps}`;
}

/** A training step of one case, ready to run. */
export interface ImageTrainStep {
  /** Trainable scalars of the network (the twin reports its own count for comparison). */
  parameters: number;
  /** The network's trainable variables (owned by the step). */
  variables: readonly tf.Variable[];
  /** Runs step i (its batch and noise come from the seed and i). */
  run(i: number): void;
  dispose(): void;
}

/** Builds the network, its Adam and the step of case `id` (seeded). */
export function imageTrainStep(id: ImageTrainCase, path?: OptimizerPath): ImageTrainStep {
  if (!IMAGE_TRAIN_CASES.includes(id)) throw new RangeError(`image speed case: id must be one of ${IMAGE_TRAIN_CASES.join(', ')}, got ${JSON.stringify(id)}`);
  const rng = createRng(4);
  const images = (r: Rng) => r.uniform([IMAGE_TRAIN_BATCH, DIM]) as tf.Tensor2D;
  let variables: tf.Variable[];
  let loss: (r: Rng) => tf.Scalar;
  let dispose: () => void;
  if (id === 'train-unet-mnist') {
    const field = unet({ shape: SHAPE }, rng.fold(0));
    variables = field.variables as tf.Variable[];
    dispose = () => field.dispose();
    loss = (r) => {
      const x1 = images(r.fold(0));
      const x0 = r.fold(1).normal([IMAGE_TRAIN_BATCH, DIM]);
      const t = r.fold(2).uniform([IMAGE_TRAIN_BATCH]) as tf.Tensor1D;
      const tc = tf.reshape(t, [-1, 1]);
      const xt = tf.add(tf.mul(tf.sub(1, tc), x0), tf.mul(tc, x1)) as tf.Tensor2D;
      return tf.mean(tf.square(tf.sub(field.evaluate(t, xt), tf.sub(x1, x0)))) as tf.Scalar;
    };
  } else {
    const generator = convGenerator({ inputDim: IMAGE_LATENT_DIM, outputShape: SHAPE }, rng.fold(0));
    variables = generator.variables as tf.Variable[];
    dispose = () => generator.dispose();
    loss = (r) => energyDistance(generator.apply(r.fold(1).normal([IMAGE_TRAIN_BATCH, IMAGE_LATENT_DIM]) as tf.Tensor2D), images(r.fold(0)));
  }
  const optimizer = createOptimizer({ name: 'adam', lr: 1e-3 }, variables, path);
  return {
    parameters: variables.reduce((sum, v) => sum + v.size, 0),
    variables,
    run(i: number) {
      const r = rng.fold(1000 + i);
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => loss(r), variables);
        optimizer.apply(variables.map((v) => grads[v.name]!), i, 1_000_000);
        // Read one value so that every kernel has run (the wasm and cpu kernels are synchronous).
        variables[0]!.dataSync();
        value.dispose();
      });
    },
    dispose() {
      optimizer.dispose();
      dispose();
    },
  };
}

/** Steps per second of case `id`, one rate per repeat (the caller takes the median). */
export async function imageTrainRate(id: ImageTrainCase, settings: { repeats: number; trainSteps: number; optimizerPath?: OptimizerPath }): Promise<number[]> {
  const step = imageTrainStep(id, settings.optimizerPath);
  const steps = imageTrainSteps(settings.trainSteps);
  const rates: number[] = [];
  try {
    for (let i = 0; i < 2; i++) step.run(i); // warm-up: allocator, XNNPACK operators
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step.run(10 + r * steps + i);
      rates.push(steps / ((performance.now() - start) / 1000));
    }
  } finally {
    step.dispose();
  }
  return rates;
}

/**
 * tf.profile of `steps` steps of case `id`: wall-clock milliseconds per step, the part inside
 * kernels, and each kernel's calls and milliseconds per step, most expensive first.
 */
export async function profileImageTrainStep(
  id: ImageTrainCase,
  steps: number,
  path?: OptimizerPath,
): Promise<TrainingProfile> {
  const step = imageTrainStep(id, path);
  try {
    for (let i = 0; i < 2; i++) step.run(i);
    let wall = 0;
    const info = await tf.profile(() => {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step.run(10 + i);
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
    return { model: `${id} (batch ${IMAGE_TRAIN_BATCH}, Adam)`, steps, stepMs: wall / steps, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels };
  } finally {
    step.dispose();
  }
}
