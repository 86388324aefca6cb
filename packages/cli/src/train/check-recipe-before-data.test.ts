import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, type DecodedCheckpoint } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';
import { checkRecipeBeforeData } from './check-recipe-before-data.js';
import { resolveRecipe, type ResumedCheckpoint } from './resolve-recipe.js';

const registry = createRegistry({ plugins: cliPlugins });
const VECTORS = { dim: 2 };
const IMAGES = { dim: 784, eventShape: [28, 28, 1] };

/** The message `run` throws (undefined when it does not throw). */
function messageOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe('checkRecipeBeforeData', () => {
  // Each is wrong whatever the data: the check before the data says what resolveRecipe says after it.
  const WRONG: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown field', { method: 'flow-matching', stepz: 5 }, /^recipe\.json: bad config: config: .*"stepz"/],
    ['an unknown method', { method: 'flow-matchin' }, /^recipe\.json: unknown objective "flow-matchin"; known objective ids: .*flow-matching/],
    ['a bad step count', { method: 'flow-matching', steps: -3 }, /^recipe\.json: bad config: config\.steps: /],
    ['a bad batch size', { method: 'energy', batchSize: 2.5 }, /^recipe\.json: bad config: config\.batchSize: /],
    ['a bad learning rate', { method: 'flow-matching', optimizer: { lr: -1 } }, /^recipe\.json: bad config: config\.optimizer\.lr: /],
    ['a bad EMA decay', { method: 'flow-matching', ema: { decay: 1.5 } }, /^recipe\.json: bad config: config\.ema\.decay: /],
    ['an EMA that is not an object', { method: 'flow-matching', ema: 0.99 }, /^recipe\.json: bad config: config\.ema: /],
    ['an unknown option', { method: 'flow-matching', options: { sigmaa: 0.1 } }, /^recipe\.json: bad options for objective "flow-matching": config\.options: .*"sigmaa"/],
    ['a bad option value', { method: 'flow-matching', options: { sigma: -0.1 } }, /^recipe\.json: bad options for objective "flow-matching": config\.options\.sigma: /],
  ];

  it.each(WRONG)('refuses %s, in the words of the check made with the data (vectors or images)', (_, config, expected) => {
    const sources = { registry, inputs: { config }, configPath: 'recipe.json', resume: undefined };
    const before = messageOf(() => checkRecipeBeforeData(sources));
    expect(before).toMatch(expected);
    expect(messageOf(() => resolveRecipe({ ...sources, data: VECTORS }))).toBe(before);
    expect(messageOf(() => resolveRecipe({ ...sources, data: IMAGES }))).toBe(before);
  });

  it('asks for a method before anything else', () => {
    expect(messageOf(() => checkRecipeBeforeData({ registry, inputs: { steps: 5 }, configPath: undefined, resume: undefined }))).toBe(
      '--method is required (or a --config recipe with "method"); methods: pfm list --kind objective',
    );
  });

  it('refuses --teacher for a method without one before its options name the teacher as unknown', () => {
    expect(messageOf(() => checkRecipeBeforeData({ registry, inputs: { method: 'realnvp', teacher: { format: 'pfm-model' } }, configPath: undefined, resume: undefined }))).toBe(
      '--teacher: the objective "realnvp" takes no teacher (it has no "teacher" option)',
    );
  });

  it('lets through what only the data can complete: an EMA without its decay is whole with the image defaults, not without them', () => {
    const sources = { registry, inputs: { config: { method: 'flow-matching', ema: { warmupSteps: 10 } } }, configPath: 'recipe.json', resume: undefined };
    expect(() => checkRecipeBeforeData(sources)).not.toThrow();
    expect(resolveRecipe({ ...sources, data: IMAGES }).ema).toEqual({ decay: 0.999, warmupSteps: 10 });
    expect(messageOf(() => resolveRecipe({ ...sources, data: VECTORS }))).toMatch(/^recipe\.json: bad config: config\.ema\.decay: /);
    // Flags and a good recipe pass untouched.
    expect(() => checkRecipeBeforeData({ registry, inputs: { method: 'energy', steps: 10, lr: 0.01, emaDecay: 0.9 }, configPath: undefined, resume: undefined })).not.toThrow();
  });

  it('on --resume, checks the checkpoint’s recipe and the flags given on top of it', () => {
    const recipe = { method: 'flow-matching', options: {}, model: {}, optimizer: { name: 'adam', lr: 0.001 }, steps: 10, batchSize: 8, seed: 0 };
    const resume = { path: 'm.json.ckpt.json', decoded: { recipe } as unknown as DecodedCheckpoint } satisfies ResumedCheckpoint;
    expect(() => checkRecipeBeforeData({ registry, inputs: {}, configPath: undefined, resume })).not.toThrow();
    expect(messageOf(() => checkRecipeBeforeData({ registry, inputs: { config: { ...recipe, stepz: 1 } }, configPath: 'r.json', resume }))).toMatch(
      /^r\.json: bad config: config: .*"stepz"/,
    );
    const broken = { path: 'm.json.ckpt.json', decoded: { recipe: { ...recipe, steps: 0 } } as unknown as DecodedCheckpoint };
    expect(messageOf(() => checkRecipeBeforeData({ registry, inputs: {}, configPath: undefined, resume: broken }))).toMatch(
      /^m\.json\.ckpt\.json: recipe: bad config: config\.steps: /,
    );
  });
});

describe('pfm train with a wrong recipe', () => {
  it('fails on the recipe before it reads the data (here, data that do not exist), and writes nothing', async () => {
    const dir = scratchDir();
    const config = join(dir, 'recipe.json');
    writeFileSync(config, JSON.stringify({ method: 'flow-matching', stepz: 100 }));
    const out = join(dir, 'm.json');
    const missing = join(dir, 'missing.csv');
    const r = await runPfm(['train', '--data', missing, '--config', config, '--backend', 'cpu', '--out', out]);
    expect(r.code).toBe(2);
    const line = errorLineOf(r);
    expect(line.startsWith(`pfm train: ${config}: bad config: config: `), line).toBe(true);
    expect(line).toContain('"stepz"');
    const unknown = await runPfm(['train', '--data', missing, '--method', 'energyy', '--backend', 'cpu', '--out', out]);
    expect(errorLineOf(unknown)).toMatch(/^pfm train: unknown objective "energyy"; known objective ids: .*; did you mean "energy"\?/);
    expect(existsSync(out)).toBe(false);
  });
});
