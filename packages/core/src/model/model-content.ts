// A model to and from the content of a model file (format "pfm-model", version 1).
import type { Model } from '../contracts/model.js';
import type { PushforwardMap, VectorField } from '../contracts/map.js';
import type { ModelFileContent } from '../io/model-file.js';
import type { Registry } from '../registry/registry.js';
import { mapFromRecord, mapToRecord } from './map-record.js';
import { describeConditionSpec, sameConditionSpec } from './condition-spec.js';
import { ModelFileError } from '../io/model-file-error.js';

/**
 * The content of a model file for `model`; `training` is free JSON (steps, seed, seconds, …).
 * The shape of one sample is recorded as `eventShape`: `eventShape` when given, else the
 * model's own `eventShape`, else none (checked when the content is encoded). A conditional model's
 * `condition` is recorded as `condition`.
 */
export function modelToContent(
  model: Model,
  registry: Registry,
  training?: Record<string, unknown>,
  eventShape: readonly number[] | undefined = model.eventShape,
): ModelFileContent {
  const maps: ModelFileContent['maps'] = {};
  for (const [role, map] of Object.entries(model.maps)) maps[role] = mapToRecord(map);
  const content: ModelFileContent = {
    method: model.method,
    options: JSON.parse(JSON.stringify(model.options)) as Record<string, unknown>,
    dim: model.dim,
    ...(eventShape !== undefined ? { eventShape: [...eventShape] } : {}),
    ...(model.condition !== undefined ? { condition: { ...model.condition } } : {}),
    plugins: registry.plugins.map((p) => ({ name: p.name, version: p.version })),
    maps,
    extra: JSON.parse(JSON.stringify(model.extra?.() ?? {})) as Record<string, unknown>,
  };
  if (training) content.training = JSON.parse(JSON.stringify(training)) as Record<string, unknown>;
  return content;
}

/**
 * Rebuilds a model through its objective's `load`; everything is validated, nothing evaluated.
 * A file with an `eventShape` gives a model whose `eventShape` is that shape (the model of an
 * old file without one has none). The file's `condition` reaches the objective's `load`
 * (`ModelParts.condition`) and the rebuilt model must be conditioned on exactly it; a file without
 * one loads as unconditional.
 */
export function modelFromContent(content: ModelFileContent, registry: Registry, source = 'model'): Model {
  const entry = registry.get('objective', content.method);
  const options = registry.parseOptions('objective', content.method, content.options, `${source}: options`);
  const maps: Record<string, PushforwardMap | VectorField> = {};
  try {
    for (const [role, record] of Object.entries(content.maps)) {
      maps[role] = mapFromRecord(record, registry, `${source}: maps.${role}`);
    }
    const model = entry.load({
      options,
      dim: content.dim,
      maps,
      extra: content.extra,
      registry,
      ...(content.condition !== undefined ? { condition: content.condition } : {}),
    });
    if (!sameConditionSpec(model.condition, content.condition)) {
      // The catch below disposes the maps the model holds.
      throw new ModelFileError(
        source,
        'condition',
        `the file says ${describeConditionSpec(content.condition)}, but "${content.method}" rebuilt a model with ${describeConditionSpec(model.condition)}` +
          (content.condition !== undefined && model.condition === undefined ? ` (this version of "${content.method}" cannot load conditional models)` : ''),
      );
    }
    return content.eventShape === undefined ? model : withEventShape(model, content.eventShape);
  } catch (error) {
    for (const m of Object.values(maps)) m.dispose();
    throw error;
  }
}

// The model with `eventShape` set (a frozen copy), on the model itself when it can take a new
// property, else on an object that inherits everything else from it.
function withEventShape(model: Model, eventShape: readonly number[]): Model {
  const property = { value: Object.freeze([...eventShape]), enumerable: true };
  if (Object.isExtensible(model) && !Object.hasOwn(model, 'eventShape')) return Object.defineProperty(model, 'eventShape', property);
  return Object.create(model, { eventShape: property }) as Model;
}
