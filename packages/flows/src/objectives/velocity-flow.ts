import type { Registry, VectorField } from '@pfm/core';
import { flowModel } from '../models/flow-model.js';
import type { SamplerOptions } from '../models/sampler-schema.js';
import type { TransportModel } from '../models/transport-model.js';

/**
 * The flow model of a learned velocity field v_θ(t, x) (map role `velocity`), t from 0 to 1. A
 * conditional field (`field.condition`) makes a conditional model; `conditionDropout > 0` in the
 * options means it was trained for classifier-free guidance.
 */
export function velocityFlow(
  method: string,
  options: Record<string, unknown> & { sampler: SamplerOptions; conditionDropout?: number },
  field: VectorField,
  registry: Registry,
  extra?: () => Record<string, unknown>,
): TransportModel {
  return flowModel({
    method,
    options,
    dim: field.dim,
    registry,
    maps: { velocity: field },
    drift: (t, x, condition) => field.evaluate(t, x, condition),
    sampler: options.sampler,
    ...(field.condition ? { condition: { spec: field.condition, guided: (options.conditionDropout ?? 0) > 0 } } : {}),
    ...(extra ? { extra } : {}),
  });
}
