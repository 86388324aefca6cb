import type { ModelParts, PushforwardMap, VectorField } from '@pfm/core';

/** The map of a model file under `role`, checked to be a vector field or a map as expected. */
export function mapRole<K extends 'field' | 'map'>(
  method: string,
  parts: ModelParts<unknown>,
  role: string,
  kind: K,
): K extends 'field' ? VectorField : PushforwardMap {
  const map = parts.maps[role];
  if (!map) {
    throw new RangeError(`${method}: the model file has no "${role}" map (maps: ${Object.keys(parts.maps).join(', ') || 'none'})`);
  }
  const isField = typeof (map as Partial<VectorField>).evaluate === 'function';
  if ((kind === 'field') !== isField) {
    throw new RangeError(`${method}: map "${role}" must be a ${kind === 'field' ? 'time-dependent vector field' : 'pushforward map'}`);
  }
  const dim = isField ? (map as VectorField).dim : (map as PushforwardMap).outputDim;
  if (dim !== parts.dim) throw new RangeError(`${method}: map "${role}" has dimension ${dim}, the model has ${parts.dim}`);
  return map as never;
}
