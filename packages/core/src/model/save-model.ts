// Node: a model to and from a model file on disk.
import type { Model } from '../contracts/model.js';
import type { Registry } from '../registry/registry.js';
import { readModelFile } from '../io/read-model-file.js';
import { writeModelFile } from '../io/write-model-file.js';
import { modelFromContent, modelToContent } from './model-content.js';

/**
 * Writes `model` atomically to `path` (`weights: 'binary'` puts them in a side file).
 * `eventShape` (`[h, w, c]` for images; its product must be the model's `dim`) is recorded in
 * the file; by default the model's own `eventShape`, if any.
 */
export async function saveModel(
  path: string,
  model: Model,
  registry: Registry,
  options: { training?: Record<string, unknown>; weights?: 'inline' | 'binary'; eventShape?: readonly number[] } = {},
): Promise<void> {
  const content = modelToContent(model, registry, options.training, options.eventShape ?? model.eventShape);
  await writeModelFile(path, content, { weights: options.weights ?? 'inline' });
}

/**
 * Reads, validates and rebuilds a model; every plugin the file names must be in `registry`.
 * The model's `eventShape` is the file's, when it records one.
 */
export async function loadModel(path: string, registry: Registry): Promise<Model> {
  const content = await readModelFile(path);
  return modelFromContent(content, registry, path);
}
