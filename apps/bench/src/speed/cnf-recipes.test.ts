import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { CNF_RECIPE_CANDIDATES, cnfRecipeCandidates, cnfRecipeTable, cnfRecipeTrial, type CnfRecipeTrial } from './cnf-recipes.js';

describe('the CNF recipe comparison', () => {
  it('trains a candidate and measures its speed, held-out NLL and W2 without leaking tensors', async () => {
    await wasm({ threads: 1 }).init();
    const before = tf.memory().numTensors;
    const trial = cnfRecipeTrial(cnfRecipeCandidates(['midpoint-1'])[0]!, 0, 2, 16);
    expect(tf.memory().numTensors).toBe(before);
    expect(trial).toMatchObject({ candidate: 'midpoint × 1, exact', seed: 0, steps: 2 });
    expect(trial.cpuStepsPerSecond).toBeGreaterThan(0);
    // An untrained flow of two moons: finite, and nowhere near a perfect fit.
    expect(Number.isFinite(trial.nll)).toBe(true);
    expect(trial.w2).toBeGreaterThan(0.05);
    expect(() => cnfRecipeTrial(CNF_RECIPE_CANDIDATES[0]!, 0, 0)).toThrow('cnfRecipeTrial: steps must be a positive integer, got 0');
  });

  it('picks candidates by id, in the order given, the default first when all are taken', () => {
    expect(cnfRecipeCandidates(['euler-2', 'midpoint-2']).map((c) => c.name)).toEqual(['euler × 2, exact', 'midpoint × 2, exact']);
    expect(cnfRecipeCandidates()[0]!.options).toEqual({});
    expect(new Set(CNF_RECIPE_CANDIDATES.map((c) => c.id)).size).toBe(CNF_RECIPE_CANDIDATES.length);
    expect(() => cnfRecipeCandidates(['midpoint-3'])).toThrow('--cnf-candidates: unknown candidate "midpoint-3"; expected one of rk4-2, rk4-4, midpoint-2,');
  });

  it('tabulates mean and range over seeds, and the speed-up against the first candidate', () => {
    const trial = (candidate: string, seed: number, rate: number, nll: number, w2: number): CnfRecipeTrial => ({ candidate, seed, steps: 10, cpuStepsPerSecond: rate, nll, w2 });
    const lines = cnfRecipeTable([trial('a', 0, 2, 1, 0.5), trial('a', 1, 4, 3, 0.7), trial('b', 0, 9, 2, 0.6), trial('b', 1, 9, 2, 0.6)]);
    expect(lines[2]).toBe('| a | 0, 1 | 3.00 (2.00–4.00) | ×1.00 | 2.00 (1.00–3.00) | 0.600 (0.500–0.700) |');
    expect(lines[3]).toBe('| b | 0, 1 | 9.00 (9.00–9.00) | ×3.00 | 2.00 (2.00–2.00) | 0.600 (0.600–0.600) |');
  });
});
