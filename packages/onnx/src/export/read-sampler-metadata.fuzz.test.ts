import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, generatorModel, mlp } from '@pfm/core';
import { exportOnnx } from './export-onnx.js';
import { OnnxError } from './onnx-error.js';
import { readSamplerMetadata } from './read-sampler-metadata.js';

// Truncated and corrupted exports: the reader returns valid metadata or throws one OnnxError,
// never another exception (a file from anywhere is read before the runtime loads it).
describe('readSamplerMetadata on damaged files', () => {
  it('every truncation and 500 seeded byte flips give metadata or an OnnxError', () => {
    const before = tf.memory().numTensors;
    const generator = mlp({ inputDim: 2, outputDim: 2, hidden: [3] }, createRng(0));
    const model = generatorModel({ method: 'mmd', options: { latentDim: 2, noise: 'gaussian' }, generator });
    const bytes = exportOnnx(model);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const outcome = (damaged: Uint8Array): string => {
      try {
        const meta = readSamplerMetadata(damaged, 'damaged.onnx');
        expect(meta.kind).toBe('one-step');
        return 'read';
      } catch (error) {
        expect(error).toBeInstanceOf(OnnxError);
        expect((error as Error).message).toMatch(/^damaged\.onnx: /);
        return 'refused';
      }
    };
    const seen = new Set<string>();
    for (let end = 0; end < bytes.length; end++) seen.add(outcome(bytes.subarray(0, end)));
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const damaged = Uint8Array.from(bytes);
      const flips = 1 + rng.int(4);
      for (let f = 0; f < flips; f++) damaged[rng.int(damaged.length)] = rng.int(256);
      seen.add(outcome(damaged));
    }
    // Both outcomes occur: the metadata sits at the end, so most truncations lose it.
    expect([...seen].sort()).toEqual(['read', 'refused']);
  });
});
