// The network of a VAE encoder or decoder named by a registry spec `{ type, options }` (options.network).
import type { ConditionOptions, MapSpec, PushforwardMap, Registry, Rng } from '@pfm/core';

/**
 * Builds `spec` through `registry` and checks it maps R^inputDim → R^outputDim; `owner` names the
 * encoder or decoder in errors, which point at `<owner>.network`.
 */
export function buildNetwork(spec: MapSpec, dims: { inputDim: number; outputDim: number }, rng: Rng, registry: Registry | undefined, owner: string): PushforwardMap {
  if (!registry) throw new RangeError(`${owner}: options.network "${spec.type}" is built through a registry, and none was given`);
  const built = registry.create('map', { id: spec.type, options: spec.options }, { rng }, { id: `${owner}.network.type`, options: `${owner}.network.options` });
  const map = built as Partial<PushforwardMap>;
  const wanted = spec.options.condition !== undefined;
  if (wanted !== (map.condition !== undefined)) {
    built.dispose();
    throw new RangeError(`${owner}: options.network "${spec.type}" ${wanted ? 'ignored the condition it was given' : 'is conditional, but the model is not'}`);
  }
  if (typeof map.apply !== 'function' || map.inputDim !== dims.inputDim || map.outputDim !== dims.outputDim) {
    built.dispose();
    throw new RangeError(
      `${owner}: options.network "${spec.type}" must map R^${dims.inputDim} → R^${dims.outputDim}, ` +
        (typeof map.apply !== 'function' ? 'it builds a vector field' : `it maps R^${map.inputDim} → R^${map.outputDim}`),
    );
  }
  return built as PushforwardMap;
}

/**
 * `spec` with the encoder's or decoder's `condition` set as the map's own `condition` option (maps
 * that take one: mlp, conv-encoder, conv-generator); `spec` unchanged when `condition` is absent.
 */
export function withCondition(spec: MapSpec, condition: ConditionOptions | undefined): MapSpec {
  return condition ? { type: spec.type, options: { ...spec.options, condition } } : spec;
}
