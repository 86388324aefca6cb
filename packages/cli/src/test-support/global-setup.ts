// Shared fixtures of the command-line tests, made once with the built CLI: a data set, a small
// training recipe and a model trained from it (with a checkpoint at step 200 of 300).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PFM_BIN, runPfm } from './run-pfm.js';

export interface CliFixtures {
  dir: string;
  /** 256 points of moons, seed 1 (CSV). */
  data: string;
  /** realnvp, 2 blocks of width 8, 300 steps of batch 32, seed 3. */
  recipe: string;
  /** The model trained by the recipe on `data` with --backend cpu --checkpoint-every 100. */
  model: string;
  /** Its checkpoint (step 200). */
  checkpoint: string;
  /** The JSON line `pfm train` printed for `model`. */
  trainSummary: string;
  /** The stderr of that run. */
  trainStderr: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: CliFixtures;
  }
}

export const TINY_RECIPE = {
  method: 'realnvp',
  options: { blocks: 2 },
  model: { hidden: [8] },
  steps: 300,
  batchSize: 32,
  seed: 3,
};

export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(PFM_BIN)) throw new Error(`${PFM_BIN} is missing: build @pfm/cli before testing it (npx tsup)`);
  const dir = mkdtempSync(join(tmpdir(), 'pfm-cli-test-'));
  const data = join(dir, 'moons.csv');
  const recipe = join(dir, 'tiny.json');
  const model = join(dir, 'model.json');
  writeFileSync(recipe, JSON.stringify(TINY_RECIPE));
  const made = await runPfm(['data', 'moons', '-n', '256', '--seed', '1', '--backend', 'cpu', '--out', data]);
  if (made.code !== 0) throw new Error(`pfm data failed:\n${made.stderr}`);
  const trained = await runPfm(['train', '--data', data, '--config', recipe, '--backend', 'cpu', '--checkpoint-every', '100', '--out', model]);
  if (trained.code !== 0) throw new Error(`pfm train failed:\n${trained.stderr}`);
  project.provide('fixtures', {
    dir,
    data,
    recipe,
    model,
    checkpoint: `${model}.ckpt.json`,
    trainSummary: trained.stdout,
    trainStderr: trained.stderr,
  });
  return () => rmSync(dir, { recursive: true, force: true });
}
