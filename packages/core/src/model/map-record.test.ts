import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry/registry.js';
import { corePlugin } from '../maps/core-plugin.js';
import { mlp } from '../maps/mlp.js';
import { createRng } from '../rng/rng.js';
import { mapFromRecord, mapToRecord } from './map-record.js';
import { reserveParameters, withParameterBudget } from './parameter-budget.js';
import type { MapRecord } from '../io/model-file.js';

const registry = createRegistry({ plugins: [corePlugin] });

describe('rebuilding a map from a file record', () => {
  it('round-trips a map bit for bit', () => {
    const original = mlp({ inputDim: 2, outputDim: 3, hidden: [5] }, createRng(1));
    const record = mapToRecord(original);
    const rebuilt = mapFromRecord(record, registry, 'maps.generator');
    const [a, b] = [original, rebuilt].map((m) => m.variables.map((v) => Array.from(v.dataSync())));
    expect(b).toEqual(a);
    original.dispose();
    rebuilt.dispose();
  });

  it('names the record field of an unknown map type or a bad option, listing the known maps', () => {
    const record: MapRecord = { type: 'mpl', options: {}, weights: [] };
    expect(() => mapFromRecord(record, registry, 'maps.generator')).toThrow(/^maps\.generator\.type: unknown map "mpl"; known map ids: conv-encoder, conv-generator, mlp, time-mlp, unet$/);
    expect(() => mapFromRecord({ ...record, type: 'mlp', options: { inputDim: 0, outputDim: 2 } }, registry, 'maps.generator')).toThrow(
      /maps\.generator\.options\.inputDim: /,
    );
  });

  it('refuses options asking for more parameters than the file holds, before allocating them', () => {
    // 20,000 × 20,000 weights would be 1.6 GB: a hostile file with no weights at all.
    const hostile: MapRecord = { type: 'mlp', options: { inputDim: 2, outputDim: 2, hidden: [20_000, 20_000] }, weights: [] };
    const before = tf.memory().numBytes;
    const started = performance.now();
    expect(() => mapFromRecord(hostile, registry, 'maps.generator')).toThrow(
      /maps\.generator\.options: mlp \[2 → 20000 → 20000 → 2\] asks for 400\d+ parameters, but the file's weights hold 0 values/,
    );
    expect(performance.now() - started).toBeLessThan(200);
    expect(tf.memory().numBytes).toBe(before);
    const huge = { ...hostile, options: { ...hostile.options, hidden: [200_000, 200_000] } };
    expect(() => mapFromRecord(huge, registry, 'maps.generator')).toThrow(/: 4000\d+ parameters cannot be allocated/);
  });

  it('refuses options that ask for more than the weights present, even when they could be allocated', () => {
    const small = mlp({ inputDim: 2, outputDim: 2, hidden: [4] }, createRng(2));
    const record = { ...mapToRecord(small), options: { inputDim: 2, outputDim: 2, hidden: [64, 64] } };
    small.dispose();
    expect(() => mapFromRecord(record, registry, 'maps.flow')).toThrow(/maps\.flow\.options: .*asks for \d+ parameters, but the file's weights hold 22 values/);
  });

  it('reserveParameters rejects counts no array holds, and budgets apply only inside their scope', () => {
    expect(() => reserveParameters(2 ** 40, 'layer')).toThrow(/layer: 1099511627776 parameters cannot be allocated/);
    expect(() => reserveParameters(-1, 'layer')).toThrow(RangeError);
    expect(() => withParameterBudget(10, 'file', () => reserveParameters(11, 'layer'))).toThrow(/file: layer asks for 11 parameters/);
    expect(withParameterBudget(10, 'file', () => (reserveParameters(4, 'a'), reserveParameters(6, 'b'), 'ok'))).toBe('ok');
    expect(() => withParameterBudget(10, 'file', () => (reserveParameters(4, 'a'), reserveParameters(7, 'b')))).toThrow(/b asks for 7/);
    reserveParameters(1_000_000, 'outside any budget');
  });
});
