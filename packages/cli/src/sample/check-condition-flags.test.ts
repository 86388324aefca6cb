import { describe, expect, it } from 'vitest';
import type { Model } from '@pfm/core';
import { checkConditionFlags } from './check-condition-flags.js';

// Only the fields checkConditionFlags reads; the checks run before anything is sampled.
function modelLike(method: string, options: Record<string, unknown>): Model {
  return { method, options, condition: { kind: 'class', classes: 8 } } as unknown as Model;
}

describe('checkConditionFlags', () => {
  it('tells a distilled one-step map its guidance is the one it was distilled at', () => {
    expect(() => checkConditionFlags(modelLike('distill', { teacherGuidance: 2 }), { condition: 3, guidance: 4 }, 'student.json')).toThrow(
      /^--guidance 4: student\.json is a one-step map distilled at guidance 2, which it keeps/,
    );
  });

  it('asks for condition dropout on a flow trained without it', () => {
    expect(() => checkConditionFlags(modelLike('flow-matching', {}), { condition: 3, guidance: 2 }, 'fm.json')).toThrow(/train with --condition-dropout P/);
  });

  it('accepts guidance on a flow trained with condition dropout, and guidance 1 everywhere', () => {
    expect(() => checkConditionFlags(modelLike('flow-matching', { conditionDropout: 0.1 }), { condition: 3, guidance: 2 }, 'fm.json')).not.toThrow();
    expect(() => checkConditionFlags(modelLike('distill', {}), { condition: 3, guidance: 1 }, 'student.json')).not.toThrow();
  });
});
