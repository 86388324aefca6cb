// Node: a model to and from a model file on disk.
import type { Model } from '../contracts/model.js';
import type { Registry } from '../registry/registry.js';
import { readModelFile } from '../io/read-model-file.js';
import { writeModelFile } from '../io/write-model-file.js';
import { modelFromContent, modelToContent } from './model-content.js';

/** Writes `model` atomically to `path` (`weights: 'binary'` puts them in a side file). */
export async function saveModel(
  path: string,
  model: Model,
  registry: Registry,
  options: { training?: Record<string, unknown>; weights?: 'inline' | 'binary' } = {},
): Promise<void> {
  await writeModelFile(path, modelToContent(model, registry, options.training), { weights: options.weights ?? 'inline' });
}

/** Reads, validates and rebuilds a model; every plugin the file names must be in `registry`. */
export async function loadModel(path: string, registry: Registry): Promise<Model> {
  const content = await readModelFile(path);
  return modelFromContent(content, registry, path);
}
