// The level clock: even split and explicit lists, the warm-up, the plateau rule (advances on a flat
// loss after 2W steps, never on a falling one before its share ends), and its checkpoint state.
import { describe, expect, it } from 'vitest';
import { CurriculumClock } from './curriculum-clock.js';

const levelsOf = (clock: CurriculumClock, steps: number, loss?: (step: number) => number) =>
  Array.from({ length: steps }, (_, step) => {
    const level = clock.levelAt(step);
    if (loss) clock.observe(step, loss(step));
    return level;
  });

describe('CurriculumClock', () => {
  it('splits the steps after the warm-up evenly or by the list', () => {
    expect(levelsOf(new CurriculumClock({ steps: 10, warmup: 0, levels: 3, where: 'c' }), 10)).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const warm = new CurriculumClock({ steps: 8, warmup: 2, levels: 2, where: 'c' });
    expect(levelsOf(warm, 8)).toEqual([-1, -1, 0, 0, 0, 1, 1, 1]);
    expect(warm.starts()).toEqual([2, 5]);
    const list = new CurriculumClock({ steps: 6, warmup: 0, levels: 3, stepsPerLevel: [1, 4, 1], where: 'c' });
    expect(levelsOf(list, 6)).toEqual([0, 1, 1, 1, 1, 2]);
    expect(() => new CurriculumClock({ steps: 3, warmup: 1, levels: 3, where: 'c' })).toThrow(/leave 2 for 3 levels/);
  });

  it('plateau: a flat loss ends a level after 2W steps; a falling one keeps it to its share; the rest goes to the last level', () => {
    const flat = new CurriculumClock({ steps: 100, warmup: 0, levels: 3, plateau: { window: 5, tolerance: 0.01 }, where: 'c' });
    const flatLevels = levelsOf(flat, 100, () => 1);
    // Level 0 sees 10 losses (steps 0–9), plateaus at its 10th; level 1 likewise; level 2 takes the rest.
    expect(flat.starts()).toEqual([0, 10, 20]);
    expect(flatLevels.filter((l) => l === 2)).toHaveLength(80);
    const falling = new CurriculumClock({ steps: 90, warmup: 0, levels: 3, plateau: { window: 5, tolerance: 0.01 }, where: 'c' });
    levelsOf(falling, 90, (step) => Math.exp(-step / 10));
    expect(falling.starts()).toEqual([0, 30, 60]);
  });

  it('plateau state survives save/load: a restored clock continues as the original', () => {
    const options = { steps: 60, warmup: 0, levels: 4, plateau: { window: 4, tolerance: 0.05 }, where: 'c' };
    const loss = (step: number) => 1 + 0.5 * Math.cos(step) * Math.exp(-step / 7);
    const original = new CurriculumClock(options);
    const whole = levelsOf(original, 60, loss);
    const first = new CurriculumClock(options);
    const head = levelsOf(first, 23, loss);
    const second = new CurriculumClock(options);
    second.load(JSON.parse(JSON.stringify(first.save())) as Record<string, unknown>);
    const tail = Array.from({ length: 37 }, (_, i) => {
      const level = second.levelAt(23 + i);
      second.observe(23 + i, loss(23 + i));
      return level;
    });
    expect([...head, ...tail]).toEqual(whole);
    expect(second.starts()).toEqual(original.starts());
    expect(() => second.load({})).toThrow(/malformed/);
  });
});
