import { describe, expect, it } from 'vitest';
import { BENCH_DATASETS } from './bench-datasets.js';
import { defaultConfigsDir, loadBenchConfigs } from './bench-configs.js';
import { QUICK_LIMITS, QUICK_STEPS, quickNotes, quickRecipe } from './quick-limits.js';

describe('--quick limits', () => {
  it('cap the steps at 200, then at the config limit, and the batch at its limit; other fields are kept', () => {
    const recipe = { method: 'sinkhorn', steps: 20_000, batchSize: 512, optimizer: { lr: 1e-3 } };
    expect(quickRecipe('flow-matching', recipe, QUICK_STEPS)).toEqual({ ...recipe, steps: 200 });
    expect(quickRecipe('sinkhorn', recipe, QUICK_STEPS)).toEqual({ ...recipe, steps: 50, batchSize: 256 });
    // A smaller recipe is never raised, and a missing `steps` means the trainer's 2,000.
    expect(quickRecipe('sinkhorn', { ...recipe, steps: 10, batchSize: 64 }, QUICK_STEPS)).toMatchObject({ steps: 10, batchSize: 64 });
    expect(quickRecipe('energy', { method: 'energy' }, QUICK_STEPS)).toEqual({ method: 'energy', steps: 200 });
  });

  it('name configs that exist, and are printed with their reason', () => {
    const names = loadBenchConfigs(defaultConfigsDir(), BENCH_DATASETS.map((d) => d.name)).map((c) => c.name);
    for (const name of Object.keys(QUICK_LIMITS)) expect(names, `QUICK_LIMITS.${name}`).toContain(name);
    const notes = quickNotes(names);
    expect(notes).toHaveLength(Object.keys(QUICK_LIMITS).length);
    expect(notes.find((l) => l.includes('sinkhorn:'))).toMatch(/sinkhorn: 50 steps, batch ≤ 256 \(three Sinkhorn problems/);
  });
});
