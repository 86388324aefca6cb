import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corePlugin, createRegistry, createRng, definePlugin, gaussian, trainRecipe, type Coupling, type CouplingEntry } from '@pfm/core';
import { ipmPlugin } from '@pfm/ipm';
import { flowsPlugin } from '../plugin/flows-plugin.js';
import { createCoupling } from './create-coupling.js';

// A user's coupling: pairs the i-th noise point with the (i + shift)-th data point, counting its calls.
const calls: number[] = [];
const shiftSchema = z.object({ shift: z.number().int().min(0).default(1) }).strict();
const shifted: CouplingEntry<z.output<typeof shiftSchema>> = {
  kind: 'coupling',
  id: 'shifted',
  description: 'pairs noise i with data i + shift (mod n)',
  schema: shiftSchema,
  create: ({ shift }): Coupling => ({
    name: 'shifted',
    pair(x0, x1) {
      calls.push(shift);
      const n = x1.shape[0];
      const order = Array.from({ length: n }, (_, i) => (i + shift) % n);
      return { x0, x1: tf.tidy(() => tf.gather(x1, tf.tensor1d(order, 'int32')) as tf.Tensor2D) };
    },
  }),
};
const registry = createRegistry({ plugins: [corePlugin, ipmPlugin, flowsPlugin, definePlugin({ name: 'user-couplings', version: '1.0.0', entries: [shifted] })] });

async function lossHistory(options: Record<string, unknown>): Promise<number[]> {
  const data = gaussian({ mean: [1, -1], std: 0.5 }).sample(64, createRng(1));
  try {
    const { model, result } = await trainRecipe({ method: 'flow-matching', options, model: { hidden: [8] }, steps: 3, batchSize: 16, seed: 2 }, data, { registry });
    model.dispose();
    return result.lossHistory;
  } finally {
    data.dispose();
  }
}

describe('couplings as a registry kind', () => {
  it("a plugin's coupling trains flow matching, by id and by { id, options }", async () => {
    const before = tf.memory().numTensors;
    calls.length = 0;
    await lossHistory({ coupling: 'shifted' });
    expect(calls).toEqual([1, 1, 1]);
    calls.length = 0;
    await lossHistory({ coupling: { id: 'shifted', options: { shift: 5 } } });
    expect(calls).toEqual([5, 5, 5]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("today's forms give the same run: 'sinkhorn' with the separate sinkhorn options equals { id: 'sinkhorn', options }", async () => {
    const before = tf.memory().numTensors;
    const legacy = await lossHistory({ coupling: 'sinkhorn', sinkhorn: { epsilon: 0.2, maxIterations: 50 } });
    const byId = await lossHistory({ coupling: { id: 'sinkhorn', options: { epsilon: 0.2, maxIterations: 50 } } });
    const defaults = await lossHistory({ coupling: 'sinkhorn' });
    expect(byId).toEqual(legacy);
    expect(defaults).not.toEqual(legacy);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad options and unknown ids give one error naming the field, the value and the known ids', async () => {
    await expect(lossHistory({ coupling: { id: 'sinkhorn', options: { epsilon: -1 } } })).rejects.toThrow(/coupling "sinkhorn": options\.coupling\.options\.epsilon: .*>0/);
    await expect(lossHistory({ coupling: { id: 'shifted', options: { shift: 0.5 } } })).rejects.toThrow(/options\.coupling\.options\.shift: .*expected int/);
    await expect(lossHistory({ coupling: 'greedy' })).rejects.toThrow(/options\.coupling: unknown coupling "greedy"; known coupling ids: exact-ot, independent, shifted, sinkhorn/);
    expect(() => createCoupling('sinkhorn', { epsilon: 0 } as never)).toThrow(/coupling "sinkhorn": sinkhorn\.epsilon/);
    // Without a registry the built-in ids still resolve.
    expect(createCoupling('exact-ot').name).toBe('exact-ot');
  });
});
