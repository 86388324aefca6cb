import { networkSpec, type ConditionSpec, type MapSpec, type NetworkConfig } from '@pfm/core';

/**
 * The map spec of a recipe's `model` for `role` on R^dim (`networkSpec`: the map `model.type` names,
 * else the role's default for vectors or for an image `eventShape`). With `condition` the options get
 * `condition` with the classes or the context dimension of the data, merged over `model.condition`
 * (where a recipe chooses `join` and `embeddingDim`; classes and contextDim always come from the data).
 */
export function conditionedNetworkSpec(network: NetworkConfig, role: 'generator' | 'velocity', dim: number, eventShape?: readonly number[], condition?: ConditionSpec): MapSpec {
  const spec = networkSpec(network, role, { inputDim: dim, outputDim: dim }, eventShape);
  if (condition === undefined) return spec;
  const given = typeof spec.options.condition === 'object' && spec.options.condition !== null ? (spec.options.condition as Record<string, unknown>) : {};
  const { classes: _classes, contextDim: _contextDim, ...chosen } = given;
  const size = condition.kind === 'class' ? { classes: condition.classes } : { contextDim: condition.dim };
  return { ...spec, options: { ...spec.options, condition: { ...chosen, ...size } } };
}
