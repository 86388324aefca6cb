// "Compare samplers": each sampler setting of a model draws 1,000 points, timed, and is scored
// by the energy distance to 1,000 reference points (Székely & Rizzo 2013), lower is better. For
// a flow: one Euler step against many, and rk4; any other model has its one (default) sampler.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type SampleOptions } from '@pfm/core';
import { energyDistance } from '@pfm/ipm';
import type { PointTable, SamplerComparison, SamplerSetting } from '../protocol.js';
import { velocityField } from './euler-trajectories.js';

const SAMPLES = 1000;
const TIMED_RUNS = 3;

/** The settings compared for `model`. */
export function samplerSettings(model: Model): SamplerSetting[] {
  if (!velocityField(model)) return [{ label: 'default' }];
  return [
    { label: 'euler, 1 step', integrator: 'euler', steps: 1 },
    { label: 'euler, 4 steps', integrator: 'euler', steps: 4 },
    { label: 'euler, 20 steps', integrator: 'euler', steps: 20 },
    { label: 'euler, 100 steps', integrator: 'euler', steps: 100 },
    { label: 'rk4, 10 steps', integrator: 'rk4', steps: 10 },
  ];
}

function rows(table: PointTable, n: number): tf.Tensor2D {
  const take = Math.min(n, table.rows);
  return tf.tensor2d(table.values.subarray(0, take * table.cols), [take, table.cols]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Measures every setting against `reference`, drawing `samples` points per run (default 1,000;
 * the time is still given per 1,000). With `data` (the training points, when the reference is
 * separate data), `floor` is their energy distance to the reference: what a perfect sampler
 * would score. `condition` (the condition and guidance of a conditional model) goes with every draw.
 */
export async function compareSamplers(
  model: Model,
  reference: PointTable,
  data?: PointTable,
  samples = SAMPLES,
  condition: SampleOptions = {},
): Promise<{ rows: SamplerComparison[]; floor?: number }> {
  const ref = rows(reference, samples);
  try {
    const out: SamplerComparison[] = [];
    for (const setting of samplerSettings(model)) {
      const options: SampleOptions = { ...condition };
      if (setting.integrator !== undefined) options.integrator = setting.integrator;
      if (setting.steps !== undefined) options.steps = setting.steps;
      const times: number[] = [];
      let energy = NaN;
      // One untimed run first: the first call of a kernel compiles or allocates.
      for (let run = 0; run <= TIMED_RUNS; run++) {
        const t0 = performance.now();
        const x = model.sample(samples, createRng(1000 + run), options);
        await x.data();
        const ms = performance.now() - t0;
        if (run > 0) times.push(ms);
        if (run === 1) {
          const d = energyDistance(x, ref);
          energy = (await d.data())[0]!;
          d.dispose();
        }
        x.dispose();
      }
      out.push({ label: setting.label, nfe: model.nfeFor?.(options) ?? model.nfe, msPer1000: (median(times) * SAMPLES) / samples, energy });
    }
    if (!data) return { rows: out };
    const train = rows(data, samples);
    const d = energyDistance(train, ref);
    const floor = (await d.data())[0]!;
    tf.dispose([d, train]);
    return { rows: out, floor };
  } finally {
    ref.dispose();
  }
}
