import { describe, expect, it } from 'vitest';
import { checkpointCadence } from './checkpoint-cadence.js';
import { firstDifference, previewValue } from './first-difference.js';
import { hasRecipeInputs, recipeFromInputs } from './recipe-inputs.js';
import { withoutTeacher } from './teacher-option.js';

describe('recipe resolution', () => {
  it('flags override the config: method, steps, batch size, seed, optimizer.lr and options.teacher', () => {
    const config = { method: 'a', steps: 10, optimizer: { name: 'adamw', lr: 0.1 }, options: { k: 1 } };
    expect(recipeFromInputs({ steps: 20, lr: 0.5, teacher: { format: 'pfm-model' } }, config)).toEqual({
      method: 'a',
      steps: 20,
      optimizer: { name: 'adamw', lr: 0.5 },
      options: { k: 1, teacher: { format: 'pfm-model' } },
    });
    expect(recipeFromInputs({ method: 'b', batchSize: 4, seed: -2, lr: 0.2 })).toEqual({ method: 'b', batchSize: 4, seed: -2, optimizer: { lr: 0.2 } });
    // A malformed optimizer is left as it is, for the recipe schema to name it.
    expect(recipeFromInputs({ lr: 0.2 }, { optimizer: 3 })).toEqual({ optimizer: 3 });
    expect(config.optimizer.lr).toBe(0.1);
    expect(hasRecipeInputs({})).toBe(false);
    expect(hasRecipeInputs({ seed: 0 })).toBe(true);
    expect(withoutTeacher({ options: { teacher: {}, mode: 'direct' }, steps: 1 })).toEqual({ options: { mode: 'direct' }, steps: 1 });
  });

  it('firstDifference names the first differing path', () => {
    expect(firstDifference({ a: [1, { b: 2 }], c: 3 }, { a: [1, { b: 2 }], c: 3 }, 'config')).toBeUndefined();
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 5 }] }, 'config')).toEqual({ path: 'config.a[1].b', left: 2, right: 5 });
    expect(firstDifference({ a: [1] }, { a: [1, 2] }, 'x')).toEqual({ path: 'x.a.length', left: 1, right: 2 });
    expect(firstDifference({ z: 1 }, { y: 1, z: 1 }, 'x')).toEqual({ path: 'x.y', left: undefined, right: 1 });
    expect(previewValue(undefined)).toBe('(absent)');
    expect(previewValue('x'.repeat(100), 10)).toBe('"xxxxxxxx…');
  });

  it('the trainer is asked for a checkpoint callback often enough to notice Ctrl-C, and at every step the user asked for', () => {
    expect(checkpointCadence(300, undefined)).toBe(1);
    expect(checkpointCadence(50_000, undefined)).toBe(50);
    expect(checkpointCadence(50_000, 1000)).toBe(50);
    expect(checkpointCadence(50_000, 75)).toBe(25);
    for (const [steps, every] of [[10_000, 7], [123_456, 1000], [5000, 300]] as const) {
      const cadence = checkpointCadence(steps, every);
      expect(every % cadence).toBe(0);
      expect(cadence).toBeLessThanOrEqual(Math.max(1, Math.floor(steps / 1000)));
    }
  });
});
