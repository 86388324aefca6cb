import { describe, expect, it } from 'vitest';
import type { Model } from '@pfm/core';
import { checkConditionFlags } from './check-condition-flags.js';

// Only the fields checkConditionFlags reads; the checks run before anything is sampled.
function modelLike(method: string, options: Record<string, unknown>, condition: Model['condition'] = { kind: 'class', classes: 8 }): Model {
  return { method, options, condition } as unknown as Model;
}

describe('checkConditionFlags', () => {
  it('tells a distilled one-step map its guidance is the one it was distilled at', () => {
    expect(() => checkConditionFlags(modelLike('distill', { teacherGuidance: 2 }), { condition: 3, guidance: 4 }, 'student.json', 5)).toThrow(
      /^--guidance 4: student\.json is a one-step map distilled at guidance 2, which it keeps/,
    );
  });

  it('asks for condition dropout on a flow trained without it', () => {
    expect(() => checkConditionFlags(modelLike('flow-matching', {}), { condition: 3, guidance: 2 }, 'fm.json', 5)).toThrow(/train with --condition-dropout P/);
  });

  it('accepts guidance on a flow trained with condition dropout, and guidance 1 everywhere', () => {
    expect(() => checkConditionFlags(modelLike('flow-matching', { conditionDropout: 0.1 }), { condition: 3, guidance: 2 }, 'fm.json', 5)).not.toThrow();
    expect(() => checkConditionFlags(modelLike('distill', {}), { condition: 3, guidance: 1 }, 'student.json', 5)).not.toThrow();
  });

  it('counts the rows of a context array as its length over the context dimension, not its length', () => {
    const context = modelLike('flow-matching', { conditionDropout: 0.2 }, { kind: 'context', dim: 2 });
    // 3 samples, one vector of 2 each: 6 values; or one vector for all 3.
    expect(() => checkConditionFlags(context, { condition: new Float32Array([1, 2, 3, 4, 5, 6]), guidance: 2 }, 'c.json', 3)).not.toThrow();
    expect(() => checkConditionFlags(context, { condition: new Float32Array([1, 2]) }, 'c.json', 3)).not.toThrow();
    expect(() => checkConditionFlags(context, { condition: new Float32Array([1, 2, 3, 4]) }, 'c.json', 3)).toThrow(
      /^--context: expected a context vector of dimension 2 \(or 3×2 numbers, one row per sample\), got 4 numbers$/,
    );
    expect(() => checkConditionFlags({ ...context, options: {} } as Model, { condition: new Float32Array(6), guidance: 2 }, 'c.json', 3)).toThrow(
      /^--guidance 2: c\.json was trained without condition dropout/,
    );
  });

  it('checks one label per sample against the number of samples', () => {
    const labelled = modelLike('flow-matching', {});
    expect(() => checkConditionFlags(labelled, { condition: new Int32Array([0, 7, 2]) }, 'fm.json', 3)).not.toThrow();
    expect(() => checkConditionFlags(labelled, { condition: new Int32Array([0, 7]) }, 'fm.json', 3)).toThrow(/^--labels: expected 3 class labels \(one per row\) or one for all rows, got 2$/);
    expect(() => checkConditionFlags(labelled, { condition: new Int32Array([0, 8, 1]) }, 'fm.json', 3)).toThrow(/^--labels: label 8 at row 1 is not a class of this model/);
  });
});
