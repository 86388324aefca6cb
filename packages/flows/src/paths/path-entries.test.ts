import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corePlugin, createRegistry, createRng, definePlugin, gaussian, modelFromContent, modelToContent, trainRecipe, type PathEntry } from '@pfm/core';
import { ipmPlugin } from '@pfm/ipm';
import { flowsPlugin } from '../plugin/flows-plugin.js';
import { createPath } from './create-path.js';
import { linearInterpolant } from './linear-interpolant.js';

// A user's path: the linear interpolant with time run at a power, x_t = (1 − t^p) x0 + t^p x1, counting its calls.
const calls: number[] = [];
const powerSchema = z.object({ power: z.number().positive().default(2) }).strict();
const powerPath: PathEntry<z.output<typeof powerSchema>> = {
  kind: 'path',
  id: 'power-time',
  description: 'x_t = (1 − t^p) x0 + t^p x1',
  schema: powerSchema,
  create: ({ power }) => ({
    name: 'power-time',
    usesNoise: false,
    timeRange: [0, 1],
    interpolate(t, x0, x1) {
      calls.push(power);
      return tf.tidy(() => {
        const tc = tf.reshape(t, [-1, 1]);
        const s = tf.pow(tc, power);
        const ds = tf.mul(tf.pow(tc, power - 1), power);
        return { xt: tf.add(tf.mul(tf.sub(1, s), x0), tf.mul(s, x1)) as tf.Tensor2D, velocity: tf.mul(ds, tf.sub(x1, x0)) as tf.Tensor2D };
      });
    },
  }),
};
const registry = createRegistry({ plugins: [corePlugin, ipmPlugin, flowsPlugin, definePlugin({ name: 'user-paths', version: '1.0.0', entries: [powerPath] })] });

async function run(options: Record<string, unknown>, check?: (content: ReturnType<typeof modelToContent>) => void): Promise<number[]> {
  const data = gaussian({ mean: [1, -1], std: 0.5 }).sample(64, createRng(1));
  try {
    const { model, result } = await trainRecipe({ method: 'stochastic-interpolant', options, model: { hidden: [8] }, steps: 3, batchSize: 16, seed: 2 }, data, { registry });
    if (check) check(modelToContent(model, registry, { steps: 3 }));
    model.dispose();
    return result.lossHistory;
  } finally {
    data.dispose();
  }
}

describe('paths as a registry kind', () => {
  it("a plugin's path trains the stochastic-interpolant objective, and its model file loads", async () => {
    const before = tf.memory().numTensors;
    calls.length = 0;
    await run({ path: { id: 'power-time', options: { power: 3 } } }, (content) => {
      const loaded = modelFromContent(content, registry);
      expect(loaded.method).toBe('stochastic-interpolant');
      loaded.dispose();
    });
    expect(calls).toEqual([3, 3, 3]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the built-in path by id gives the same run as today's α, β, γ fields", async () => {
    const before = tf.memory().numTensors;
    const legacy = await run({ coefficients: 'trigonometric', noise: 'brownian-bridge', noiseScale: 0.5 });
    const byId = await run({ path: { id: 'stochastic', options: { coefficients: 'trigonometric', noise: 'brownian-bridge', noiseScale: 0.5 } } });
    const other = await run({ path: 'stochastic' });
    expect(byId).toEqual(legacy);
    expect(other).not.toEqual(legacy);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad options and unknown ids give one error naming the field, the value and the known ids', async () => {
    await expect(run({ path: { id: 'linear', options: { sigmaMin: 1 } } })).rejects.toThrow(/path "linear": options\.path\.options\.sigmaMin: .*<1/);
    await expect(run({ path: 'spiral' })).rejects.toThrow(/options\.path: unknown path "spiral"; known path ids: linear, power-time, stochastic/);
    // Without a registry the built-in ids resolve, with the same interpolant as the direct call.
    const t = tf.tensor1d([0.25, 0.75]);
    const x0 = tf.tensor2d([[1, 2], [3, 4]]);
    const x1 = tf.tensor2d([[-1, 0], [2, 2]]);
    const a = createPath({ id: 'linear', options: { sigmaMin: 0.1 } }).interpolate(t, x0, x1);
    const b = linearInterpolant({ sigmaMin: 0.1 }).interpolate(t, x0, x1);
    expect(Array.from(a.xt.dataSync())).toEqual(Array.from(b.xt.dataSync()));
    expect(Array.from(a.velocity.dataSync())).toEqual(Array.from(b.velocity.dataSync()));
    tf.dispose([t, x0, x1, a.xt, a.velocity, b.xt, b.velocity]);
  });
});
