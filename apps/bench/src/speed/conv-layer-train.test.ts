import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { convLayerSkipReason, convLayerSteps, convLayerTrainRate } from './conv-layer-train.js';
import { runConvLayerTwin } from './conv-layer-twin.js';
import { runSpeedCases } from './speed-cases.js';

const SETTINGS = { repeats: 1, trainSteps: 1, pairPoints: 16, matmulSize: 8 };

describe('the conv-layer-train speed case', () => {
  it('runs on @pfm/backend-wasm: one positive rate per repeat, every tensor freed', async () => {
    await wasm().init();
    expect(convLayerSkipReason()).toBeUndefined();
    const before = tf.memory().numTensors;
    const rates = await convLayerTrainRate({ repeats: 2, trainSteps: 1 });
    expect(rates).toHaveLength(2);
    for (const rate of rates) expect(rate).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is skipped, with its reason, on the cpu backend and where Conv2DBackpropFilter is missing', async () => {
    const projectBackend = tf.getBackend();
    try {
      await cpu().init();
      expect(convLayerSkipReason()).toMatch(/^the cpu backend convolves in scalar JavaScript loops/);
      const seen: string[] = [];
      const results = await runSpeedCases({ ...SETTINGS, cases: ['conv-layer-train'] }, (label) => seen.push(label));
      expect(results).toEqual([]);
      expect(seen).toEqual([`conv-layer-train skipped: ${convLayerSkipReason()}`]);
    } finally {
      await tf.setBackend(projectBackend);
    }
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm')!;
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    try {
      expect(convLayerSkipReason()).toBe("no Conv2DBackpropFilter kernel on 'wasm'");
    } finally {
      tf.registerKernel(kernel);
    }
  });

  it('times a tenth of the MLP cases’ steps, at least 2', () => {
    expect(convLayerSteps(50)).toBe(5);
    expect(convLayerSteps(1)).toBe(2);
  });

  it('reports a twin that cannot run instead of failing the suite', () => {
    const twin = runConvLayerTwin('no-such-python-interpreter', { repeats: 1, trainSteps: 1, threads: [1] });
    expect(twin.stepsPerSecond).toEqual({});
    expect(twin.failures).toHaveLength(1);
    expect(twin.failures[0]).toMatch(/^conv-layer-train twin at 1 thread\(s\): /);
  });
});
