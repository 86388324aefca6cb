import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createTrainingRun, parseRecipe, planMemory, type MemoryPlan } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { CliError } from '../cli/cli-error.js';
import { defaultMemoryLimit, type MemorySource } from '../cli/memory-limit.js';
import { cliPlugins } from '../plugins.js';
import { checkMemoryPlan, describeMemoryPlan } from './check-memory-plan.js';

const GiB = 2 ** 30;
const machine = (total: number, constrained = 0): MemorySource => ({ total: () => total, constrained: () => constrained });

describe('the default --max-memory', () => {
  it('is 80% of the machine, or of a container limit below it', () => {
    expect(defaultMemoryLimit(machine(16 * GiB))).toBe(Math.floor(0.8 * 16 * GiB));
    // A cgroup limit below the machine's memory is what the process may use.
    expect(defaultMemoryLimit(machine(16 * GiB, 2 * GiB))).toBe(Math.floor(0.8 * 2 * GiB));
    // "No limit" is reported as 0 or as a huge number (2⁶³ − 1 rounded): the machine then counts.
    expect(defaultMemoryLimit(machine(16 * GiB, 2 ** 63))).toBe(Math.floor(0.8 * 16 * GiB));
    expect(defaultMemoryLimit(machine(1000))).toBe(800);
  });
});

describe('checkMemoryPlan', () => {
  const plan: MemoryPlan = { dataBytes: 1000, parameterBytes: 2000, activationBytes: 9000, activationBytesPerRow: 1000, totalBytes: 12_000, parameters: 125, stateBytes: 0, setupBytes: 0 };

  it('refuses a plan above the default limit with one line naming the estimate, the default and a batch that fits', () => {
    // 80% of 10,000 B = 8,000 B; total(B) = 12,000 − (8 − B)·1,000, so batch 4 (8,000 B) is the largest that fits.
    const refuse = () => checkMemoryPlan(plan, 8, { memory: machine(10_000) });
    expect(refuse).toThrow(CliError);
    expect(refuse).toThrow(
      /^the run needs about 11\.7 KiB, more than the default --max-memory 7\.8 KiB \(80% of the memory available\) \(data 1000 B \+ 125 parameters with gradients and optimizer state 2\.0 KiB \+ one step at batch 8 8\.8 KiB \(1000 B a row\)\); a --batch-size of at most 4 fits$/,
    );
    expect(() => checkMemoryPlan(plan, 8, { memory: machine(15_000) })).not.toThrow();
    // An explicit --max-memory wins over the default.
    expect(() => checkMemoryPlan(plan, 8, { maxMemory: 20_000, memory: machine(10_000) })).not.toThrow();
  });

  it('refuses a real run whose plan exceeds the default of a small machine before any step, allocating nothing', async () => {
    const registry = createRegistry({ plugins: cliPlugins });
    const recipe = parseRecipe({ method: 'flow-matching', model: { hidden: [16] }, steps: 10, batchSize: 32 }, registry, 'config');
    const data = tf.tensor2d(Array.from({ length: 64 }, (_, i) => Math.cos(i)), [32, 2]);
    const run = createTrainingRun(recipe, data, registry);
    try {
      const real = await planMemory(run, data, { batchSize: recipe.batchSize });
      const weights = run.players[0]!.variables.map((v) => Array.from(v.dataSync()));
      const before = tf.memory();
      // A machine with as much memory as the plan: 80% of it is too little.
      const message = (() => {
        try {
          checkMemoryPlan(real, recipe.batchSize, { memory: machine(real.totalBytes) });
        } catch (error) {
          return (error as Error).message;
        }
        return 'accepted';
      })();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/^the run needs about [\d.]+ KiB, more than the default --max-memory [\d.]+ KiB \(80% of the memory available\) \(data .*\); a --batch-size of at most \d+ fits$/);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
      expect(run.players[0]!.variables.map((v) => Array.from(v.dataSync()))).toEqual(weights);
      // The same run on a machine twice as large goes ahead.
      expect(() => checkMemoryPlan(real, recipe.batchSize, { memory: machine(2 * real.totalBytes) })).not.toThrow();
    } finally {
      run.dispose?.();
      run.model.dispose();
      data.dispose();
    }
  });
});

describe('checkMemoryPlan of a run with a set-up pass', () => {
  const step = { dataBytes: 1000, parameterBytes: 2000, stateBytes: 0, activationBytes: 9000, activationBytesPerRow: 1000, parameters: 125 };

  it('refuses a set-up pass above the limit, naming it, even when the step fits', () => {
    const plan: MemoryPlan = { ...step, setupBytes: 20_000, totalBytes: 20_000, setupPass: 'data-dependent initialisation' };
    expect(() => checkMemoryPlan(plan, 8, { maxMemory: 15_000 })).toThrow(
      /^the run's set-up \(data-dependent initialisation\) needs about 19\.5 KiB, more than --max-memory 14\.6 KiB; the batch size does not change it: train on fewer rows or a smaller network$/,
    );
    expect(() => checkMemoryPlan(plan, 8, { maxMemory: 20_000 })).not.toThrow();
    // On wasm the heap counts the device's tensors: the host copy of the data (half of dataBytes) is not in it.
    const huge: MemoryPlan = { ...plan, setupBytes: 2 ** 32 + 400, totalBytes: 2 ** 32 + 400 };
    expect(() => checkMemoryPlan(huge, 8, { maxMemory: 2 ** 33, backend: 'wasm' })).not.toThrow();
    expect(() => checkMemoryPlan({ ...huge, setupBytes: 2 ** 32 + 600 }, 8, { maxMemory: 2 ** 33, backend: 'wasm' })).toThrow(
      /^the run's set-up \(data-dependent initialisation\) needs about 4\.0 GiB of tensors, more than the wasm backend's 4\.0 GiB heap; the batch size does not change it/,
    );
    expect(describeMemoryPlan(plan, 8)).toBe(
      'memory plan: about 19.5 KiB, the larger of a step, 11.7 KiB = data 1000 B + 125 parameters with gradients and optimizer state 2.0 KiB + one step at batch 8 8.8 KiB (1000 B a row), and the set-up (data-dependent initialisation), 19.5 KiB',
    );
  });

  it("counts the run's own tensors in the step and says what shrinks a pass that names it", () => {
    const plan: MemoryPlan = { ...step, stateBytes: 4096, setupBytes: 20_000, totalBytes: 20_000, setupPass: 'pairs', setupAdvice: 'fewer options.pairs' };
    expect(() => checkMemoryPlan(plan, 8, { maxMemory: 15_000 })).toThrow(
      /^the run's set-up \(pairs\) needs about 19\.5 KiB, more than --max-memory 14\.6 KiB; the batch size does not change it: fewer options\.pairs$/,
    );
    expect(describeMemoryPlan({ ...plan, setupBytes: 0, totalBytes: 16_096, setupPass: undefined }, 8)).toBe(
      'memory plan: about 15.7 KiB = data 1000 B + 125 parameters with gradients and optimizer state 2.0 KiB + tensors the run holds (pairs, noise) 4.0 KiB + one step at batch 8 8.8 KiB (1000 B a row)',
    );
    // The step with its state (16,096 B) is over 15,000 B at batch 8; 6,904 B of it is the step's fixed part, so batch 7 fits.
    expect(() => checkMemoryPlan({ ...plan, setupBytes: 0, totalBytes: 16_096 }, 8, { maxMemory: 15_500 })).toThrow(/a --batch-size of at most 7 fits$/);
  });

  it("refuses a real NSF run whose step fits a small machine but whose initialisation does not", async () => {
    const registry = createRegistry({ plugins: cliPlugins });
    // 600 pixel rows of 48 values, batches of 4: the initialisation holds copies of all rows and
    // pulls 256 at a time through the splines; a step sees 4.
    const recipe = parseRecipe({ method: 'nsf', options: { blocks: 2, permutation: 'random', preprocess: {} }, model: { hidden: [16] }, steps: 1, batchSize: 4 }, registry, 'config');
    const data = tf.tidy(() => tf.reshape(tf.add(tf.mul(tf.sin(tf.range(0, 600 * 48)), 0.5), 0.5), [600, 48]) as tf.Tensor2D);
    const run = createTrainingRun(recipe, data, registry);
    try {
      const plan = await planMemory(run, data, { batchSize: 4 });
      const stepBytes = plan.dataBytes + plan.parameterBytes + plan.activationBytes;
      expect(plan.setupBytes).toBeGreaterThan(stepBytes);
      // A machine whose default limit (80%) holds the step with room to spare but not the set-up.
      const memory = machine(Math.ceil((stepBytes + plan.setupBytes) / 2 / 0.8));
      expect(() => checkMemoryPlan({ ...plan, setupBytes: 0, totalBytes: stepBytes }, 4, { memory })).not.toThrow();
      expect(() => checkMemoryPlan(plan, 4, { memory })).toThrow(/^the run's set-up \(data-dependent initialisation\) needs about [\d.]+ [KM]iB, more than the default --max-memory/);
    } finally {
      run.dispose?.();
      run.model.dispose();
      data.dispose();
    }
  });
});
