import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.js';
import { disposeCheckpoint, type Checkpoint } from '../train/trainer.js';

function sample(): Checkpoint {
  return {
    step: 3,
    seed: 7,
    steps: 10,
    batchSize: 4,
    variables: { generator: [tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([0.5, -0.25])] },
    optimizers: { generator: { slots: { m: [tf.zeros([2, 2]), tf.tensor1d([1e-8, 3])], v: [tf.ones([2, 2]), tf.zeros([2])] } } },
    run: { json: { round: 1 }, tensors: { coupling: tf.tensor2d([[9]]) } },
    lossHistory: [3, 2, 1],
  };
}

describe('checkpoint files', () => {
  it('round-trip every tensor bit for bit with the recipe', () => {
    const c = sample();
    const text = encodeCheckpoint(c, { method: 'mmd', steps: 10 });
    const { checkpoint, recipe } = decodeCheckpoint(text, 'ck.json');
    expect(recipe).toEqual({ method: 'mmd', steps: 10 });
    expect(checkpoint.step).toBe(3);
    expect(checkpoint.variables.generator![0]!.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(checkpoint.optimizers.generator!.slots.m![1]!.dataSync())).toEqual(Array.from(new Float32Array([1e-8, 3])));
    expect(checkpoint.run!.json).toEqual({ round: 1 });
    expect(checkpoint.lossHistory).toEqual([3, 2, 1]);
    disposeCheckpoint(checkpoint);
    disposeCheckpoint(c);
  });

  it('rejects hostile or damaged checkpoints before decoding, without leaking tensors', () => {
    const c = sample();
    const good = JSON.parse(encodeCheckpoint(c, {}));
    disposeCheckpoint(c);
    const bad = (mutate: (j: any) => void) => {
      const j = structuredClone(good);
      mutate(j);
      return () => decodeCheckpoint(JSON.stringify(j), 'ck.json');
    };
    expect(bad((j) => (j.format = 'pfm-model'))).toThrow('ck.json: format: expected "pfm-checkpoint"');
    expect(bad((j) => (j.version = 4))).toThrow(/made by a newer pfm/);
    expect(bad((j) => (j.variables.generator[0].shape = [1e9, 1e9]))).toThrow(/variables\.generator\[0\]\.shape/);
    expect(bad((j) => (j.variables.generator[0].shape = [2, 3]))).toThrow(/holds 16 bytes, the shape needs 24/);
    expect(bad((j) => (j.step = 11))).toThrow(/beyond the run's 10 steps/);
    expect(() => decodeCheckpoint('{"__proto__": {}}', 'ck.json')).toThrow(/__proto__/);
    expect(() => decodeCheckpoint('nope', 'ck.json')).toThrow(/not valid JSON/);
    const nan = structuredClone(good);
    nan.run.tensors.coupling.data = Buffer.from(new Float32Array([NaN]).buffer).toString('base64');
    expect(() => decodeCheckpoint(JSON.stringify(nan), 'ck.json')).toThrow(/run\.tensors\.coupling: value 0 is NaN/);
    expect(bad((j) => (j.data = { rows: 3, cols: 2, hash: 'xyz' }))).toThrow('ck.json: data.hash: expected 16 hex digits');
    expect(bad((j) => (j.lrScale = 2))).toThrow('ck.json: lrScale: expected a number in (0, 1]');
    expect(bad((j) => (j.rollback = { step: 4, variables: {}, optimizers: {}, run: null }))).toThrow('ck.json: rollback.step: expected an integer in [0, 3]');
  });

  it('version 2 keeps the data fingerprint, backend, learning-rate scale and rollback snapshot; version 1 files still load', () => {
    const c: Checkpoint = {
      ...sample(),
      data: { rows: 256, cols: 2, hash: '0123456789abcdef' },
      backend: 'wasm',
      lrScale: 0.25,
      rollbacks: 2,
      rollback: {
        step: 2,
        variables: { generator: [tf.tensor2d([[5, 6], [7, 8]]), tf.tensor1d([1, 2])] },
        optimizers: { generator: { slots: { m: [tf.zeros([2, 2]), tf.zeros([2])], v: [tf.ones([2, 2]), tf.ones([2])] } } },
      },
    };
    const text = encodeCheckpoint(c, {});
    const { checkpoint } = decodeCheckpoint(text, 'ck.json');
    expect(checkpoint.data).toEqual({ rows: 256, cols: 2, hash: '0123456789abcdef' });
    expect(checkpoint.backend).toBe('wasm');
    expect(checkpoint.lrScale).toBe(0.25);
    expect(checkpoint.rollbacks).toBe(2);
    expect(checkpoint.rollback!.step).toBe(2);
    expect(checkpoint.rollback!.variables.generator![0]!.arraySync()).toEqual([[5, 6], [7, 8]]);
    expect(checkpoint.rollback!.run).toBeUndefined();
    disposeCheckpoint(checkpoint);

    // A version 1 file: the same without the new fields.
    const v1 = JSON.parse(text);
    for (const key of ['data', 'backend', 'lrScale', 'rollbacks', 'rollback', 'ema']) delete v1[key];
    v1.version = 1;
    const old = decodeCheckpoint(JSON.stringify(v1), 'old.json').checkpoint;
    expect(old.data).toBeUndefined();
    expect(old.backend).toBeUndefined();
    expect(old.rollback).toBeUndefined();
    expect(old.variables.generator![1]!.arraySync()).toEqual([0.5, -0.25]);
    disposeCheckpoint(old);
    // ... but a version 1 file may not carry version 2 fields.
    expect(() => decodeCheckpoint(JSON.stringify({ ...v1, backend: 'cpu' }), 'old.json')).toThrow(/backend/);
    disposeCheckpoint(c);
  });

  it('version 3 keeps the averaged (ema) weights beside the raw ones, in the rollback snapshot too; version 2 files still load', () => {
    const before = tf.memory().numTensors;
    const c: Checkpoint = {
      ...sample(),
      ema: { generator: [tf.tensor2d([[1.5, 2.5], [3.5, 4.5]]), tf.tensor1d([0.25, -1e-9])] },
      rollback: {
        step: 2,
        variables: { generator: [tf.tensor2d([[5, 6], [7, 8]]), tf.tensor1d([1, 2])] },
        optimizers: { generator: { slots: {} } },
        ema: { generator: [tf.tensor2d([[-5, 6], [7, 8]]), tf.tensor1d([3, 2])] },
      },
    };
    const text = encodeCheckpoint(c, { method: 'mmd', ema: { decay: 0.999, warmupSteps: 0 } });
    const { checkpoint, recipe } = decodeCheckpoint(text, 'ck.json');
    expect(recipe.ema).toEqual({ decay: 0.999, warmupSteps: 0 });
    expect(JSON.parse(text).version).toBe(3);
    expect(checkpoint.ema!.generator![0]!.arraySync()).toEqual([[1.5, 2.5], [3.5, 4.5]]);
    expect(Array.from(checkpoint.ema!.generator![1]!.dataSync())).toEqual(Array.from(new Float32Array([0.25, -1e-9])));
    expect(checkpoint.variables.generator![0]!.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(checkpoint.rollback!.ema!.generator![0]!.arraySync()).toEqual([[-5, 6], [7, 8]]);
    disposeCheckpoint(checkpoint);

    const good = JSON.parse(text);
    const nan = structuredClone(good);
    nan.ema.generator[1].data = Buffer.from(new Float32Array([1, Infinity]).buffer).toString('base64');
    expect(() => decodeCheckpoint(JSON.stringify(nan), 'ck.json')).toThrow('ck.json: ema.generator[1]: value 1 is Infinity');
    const short = structuredClone(good);
    short.rollback.ema.generator[0].shape = [2, 3];
    expect(() => decodeCheckpoint(JSON.stringify(short), 'ck.json')).toThrow(/rollback\.ema\.generator\[0\]\.data: holds 16 bytes, the shape needs 24/);

    // A version 2 file has no ema field, and may not carry one.
    const v2 = structuredClone(good);
    delete v2.ema;
    delete v2.rollback.ema;
    v2.version = 2;
    const old = decodeCheckpoint(JSON.stringify(v2), 'old.json').checkpoint;
    expect(old.ema).toBeUndefined();
    expect(old.rollback!.ema).toBeUndefined();
    disposeCheckpoint(old);
    expect(() => decodeCheckpoint(JSON.stringify({ ...v2, ema: null }), 'old.json')).toThrow(/old\.json: ema: unknown field/);
    disposeCheckpoint(c);
    expect(tf.memory().numTensors).toBe(before);
  });
});
