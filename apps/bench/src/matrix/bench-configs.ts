// The committed recipes: configs/<name>.json holds the CLI's --config object
// {method, options, model, optimizer, steps, batchSize, seed}; configs/<name>.<dataset>.json, when
// present, replaces it for that data set (e.g. layer specs that depend on the dimension).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { appRoot } from '../app-root.js';

/** A named recipe, and its per-data-set replacements. */
export interface BenchConfig {
  name: string;
  recipe: Record<string, unknown>;
  /** Replacement recipes by data set name. */
  perDataset: Record<string, Record<string, unknown>>;
}

/** The configs folder shipped with the app (next to dist/ and src/). */
export function defaultConfigsDir(): string {
  return join(appRoot(), 'configs');
}

function readJson(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${path}: expected a recipe object`);
  if (typeof (json as { method?: unknown }).method !== 'string') throw new Error(`${path}: method must be an objective id string`);
  return json as Record<string, unknown>;
}

/** Every config of `dir`, by name, sorted. */
export function loadBenchConfigs(dir: string, datasetNames: readonly string[]): BenchConfig[] {
  if (!existsSync(dir)) throw new Error(`configs folder ${dir} does not exist`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const configs = new Map<string, BenchConfig>();
  const overrides: [string, string, Record<string, unknown>][] = [];
  for (const file of files) {
    const stem = basename(file, '.json');
    const dataset = datasetNames.find((d) => stem.endsWith(`.${d}`));
    const recipe = readJson(join(dir, file));
    if (dataset !== undefined) overrides.push([stem.slice(0, -dataset.length - 1), dataset, recipe]);
    else configs.set(stem, { name: stem, recipe, perDataset: {} });
  }
  for (const [name, dataset, recipe] of overrides) {
    const config = configs.get(name);
    if (!config) throw new Error(`${join(dir, `${name}.${dataset}.json`)}: no base config ${name}.json`);
    config.perDataset[dataset] = recipe;
  }
  return [...configs.values()];
}
