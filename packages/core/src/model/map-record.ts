// Maps to and from their file records: the spec (registry id + options) and the weights in
// variable order. Rebuilding goes through the registry's schema, so a file can only name maps
// that a loaded plugin provides, with options that validate.
import * as tf from '@tensorflow/tfjs-core';
import type { PushforwardMap, VectorField } from '../contracts/map.js';
import type { MapRecord } from '../io/model-file.js';
import type { Registry } from '../registry/registry.js';
import { createRng } from '../rng/rng.js';
import { withParameterBudget } from './parameter-budget.js';

/** Weight names in a file: position and the variable's name without its unique scope. */
function weightName(index: number, variable: tf.Variable): string {
  const slash = variable.name.indexOf('/');
  return `${index}:${slash >= 0 ? variable.name.slice(slash + 1) : variable.name}`;
}

/** The file record of a map: its spec and a copy of its weights. */
export function mapToRecord(map: PushforwardMap | VectorField): MapRecord {
  const spec = map.toSpec();
  return {
    type: spec.type,
    options: JSON.parse(JSON.stringify(spec.options)) as Record<string, unknown>,
    weights: map.variables.map((v, i) => ({
      name: weightName(i, v),
      shape: [...v.shape],
      values: Float32Array.from(v.dataSync() as Float32Array),
    })),
  };
}

/** Rebuilds a map from its record; `where` names the record in error messages. */
export function mapFromRecord(record: MapRecord, registry: Registry, where: string): PushforwardMap | VectorField {
  // The file holds every weight of the map, so the options may not ask for more: maps declare
  // their sizes with reserveParameters before allocating, and a larger request is refused here.
  const held = record.weights.reduce((sum, w) => sum + w.values.length, 0);
  const map = withParameterBudget(held, `${where}.options`, () =>
    registry.create('map', { id: record.type, options: record.options }, { rng: createRng(0) }, { id: `${where}.type`, options: `${where}.options` }),
  );
  try {
    if (map.variables.length !== record.weights.length) {
      throw new RangeError(
        `${where}.weights: ${record.type} with these options has ${map.variables.length} weights, the file has ${record.weights.length}`,
      );
    }
    map.variables.forEach((v, i) => {
      const w = record.weights[i]!;
      if (w.shape.length !== v.shape.length || w.shape.some((d, k) => d !== v.shape[k])) {
        throw new RangeError(`${where}.weights[${i}] (${w.name}): shape [${w.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(w.values, v.shape, 'float32')));
    });
    return map;
  } catch (error) {
    map.dispose();
    throw error;
  }
}
