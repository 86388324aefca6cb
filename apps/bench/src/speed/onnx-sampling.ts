// The speed cases of sampling a trained model in tfjs (the active backend) and, exported with
// @pfm/onnx, in onnxruntime-node (its CPU build, one intra-op thread, as one pfm-wasm thread):
//   a one-step generator x = φ(z), the MLP 2 → 64×3 → 2 (SiLU) of mmd/energy/gan models, 4096 samples per call;
//   a flow-matching velocity field v(t, x) (the time-MLP 3 → 64×3 → 2, SiLU; torchcfm's default
//   width), 100 Euler steps from t = 0 to 1, 1024 samples per call — in onnxruntime both as the
//   network with the Euler loop in JavaScript (100 runs) and as one unrolled sampler graph.
// Every call draws its noise from a seeded Rng and waits for the samples on the host.
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { createRng, generatorModel, mlp, timeMlp, type Model } from '@pfm/core';
import { createOnnxSampler, exportOnnx, type ExportOnnxOptions, type OnnxSampler } from '@pfm/onnx';
import { createDefaultRegistry } from '@pfm/plugins';

/** Ids of the cases, in table order. */
export const ONNX_SAMPLING_CASES = [
  'sample-one-step-tfjs',
  'sample-one-step-onnxruntime',
  'sample-euler-100-tfjs',
  'sample-euler-100-onnxruntime',
  'sample-euler-100-onnxruntime-unrolled',
] as const;

export type OnnxSamplingCase = (typeof ONNX_SAMPLING_CASES)[number];

const ONE_STEP_BATCH = 4096;
const EULER_BATCH = 1024;
const HIDDEN = [64, 64, 64];

/** The table label of a case. */
export function onnxSamplingLabel(id: OnnxSamplingCase): string {
  const runtime = id.endsWith('-tfjs') ? 'tfjs (this backend)' : id.endsWith('-unrolled') ? 'onnxruntime-node 1 thread, unrolled graph' : 'onnxruntime-node 1 thread';
  return id.startsWith('sample-one-step')
    ? `sampling, one-step MLP generator 2→64×3→2 SiLU, ${ONE_STEP_BATCH} per call, ${runtime}`
    : `sampling, 100 Euler steps of a time-MLP 3→64×3→2 SiLU, ${EULER_BATCH} per call, ${runtime}`;
}

/** Why a case cannot run here: onnxruntime does not use the tfjs backend, so it is timed in the pfm-wasm workers only. */
export function onnxSamplingSkipReason(id: OnnxSamplingCase): string | undefined {
  if (id.endsWith('-tfjs')) return undefined;
  return tf.getBackend() === 'wasm' && tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined
    ? undefined
    : 'onnxruntime does not depend on the tfjs backend; it is timed beside @pfm/backend-wasm only';
}

function oneStepModel(): Model {
  const generator = mlp({ inputDim: 2, outputDim: 2, hidden: HIDDEN, activation: 'silu' }, createRng(0));
  return generatorModel({ method: 'energy', options: { latentDim: 2, noise: 'gaussian' }, generator });
}

function flowModel(): Model {
  const registry = createDefaultRegistry();
  const field = timeMlp({ dim: 2, hidden: HIDDEN, activation: 'silu' }, createRng(0));
  const options = registry.parseOptions('objective', 'flow-matching', { sampler: { integrator: 'euler', steps: 100 } }, 'flow-matching');
  return registry.get('objective', 'flow-matching').load({ options, dim: 2, maps: { velocity: field }, extra: {}, registry });
}

/** Samples per second of one case, one rate per repeat. */
export async function onnxSamplingRate(id: OnnxSamplingCase, settings: { repeats: number }): Promise<number[]> {
  const oneStep = id.startsWith('sample-one-step');
  const n = oneStep ? ONE_STEP_BATCH : EULER_BATCH;
  const calls = oneStep ? 10 : 1;
  const model = oneStep ? oneStepModel() : flowModel();
  let sampler: OnnxSampler | undefined;
  try {
    let draw: (i: number) => Promise<void>;
    if (id.endsWith('-tfjs')) {
      draw = async (i) => {
        const x = model.sample(n, createRng(i));
        await x.data();
        x.dispose();
      };
    } else {
      const options: ExportOnnxOptions = id.endsWith('-unrolled') ? { graph: 'sampler' } : {};
      sampler = await createOnnxSampler(exportOnnx(model, options), ort, { runtimeOptions: { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' } });
      const s = sampler;
      draw = async (i) => {
        await s.sample(n, createRng(i));
      };
    }
    await draw(0); // warm-up: kernels, allocator, inference
    const rates: number[] = [];
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < calls; i++) await draw(1 + r * calls + i);
      rates.push((calls * n) / ((performance.now() - start) / 1000));
    }
    return rates;
  } finally {
    await sampler?.release();
    model.dispose();
  }
}
