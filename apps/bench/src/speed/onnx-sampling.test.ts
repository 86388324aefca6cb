import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { ONNX_SAMPLING_CASES, onnxSamplingLabel, onnxSamplingRate, onnxSamplingSkipReason } from './onnx-sampling.js';

describe('the onnx sampling speed cases', () => {
  it('run on @pfm/backend-wasm, tfjs and onnxruntime alike, and leak no tensor', async () => {
    await wasm().init();
    const before = tf.memory().numTensors;
    for (const id of ONNX_SAMPLING_CASES) {
      expect(onnxSamplingSkipReason(id)).toBeUndefined();
      expect(onnxSamplingLabel(id)).toMatch(id.endsWith('-tfjs') ? /tfjs/ : /onnxruntime-node/);
      const rates = await onnxSamplingRate(id, { repeats: 1 });
      expect(rates).toHaveLength(1);
      expect(rates[0]).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
