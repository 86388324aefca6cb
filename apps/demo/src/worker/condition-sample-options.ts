// The condition of a conditional model's samples on the page: the class picker's choice (one
// class, or every class) and guidance scale, as the `condition` and `guidance` of model.sample.
import type { Model, SampleOptions } from '@pfm/core';
import type { ConditionChoice, ModelCondition } from '../protocol.js';

/**
 * What `model` is conditioned on, for the picker: its classes (or context dimension) and whether
 * guidance is defined — a flow trained with condition dropout, as `pfm sample --guidance` requires
 * (a distilled one-step map keeps the scale it was distilled at).
 */
export function modelCondition(model: Model): ModelCondition | undefined {
  const spec = model.condition;
  if (spec === undefined) return undefined;
  const dropout = model.options.conditionDropout;
  const guided = model.method !== 'distill' && typeof dropout === 'number' && dropout > 0;
  return spec.kind === 'class' ? { classes: spec.classes, guided } : { contextDim: spec.dim, guided };
}

/**
 * The sample options of `n` samples for `choice`: class k for every sample, or for 'all' sample i
 * gets class ⌊i / rowsPerClass⌋ mod K (rowsPerClass 1: i mod K, every class in turn). A context
 * model is sampled at the zero context (the page has no context to give). Guidance is passed only
 * where it is defined and differs from 1.
 */
export function conditionSampleOptions(condition: ModelCondition | undefined, choice: ConditionChoice, n: number, rowsPerClass = 1): SampleOptions {
  if (condition === undefined) return {};
  const guidance = condition.guided && choice.guidance !== 1 ? { guidance: choice.guidance } : {};
  if (condition.contextDim !== undefined) return { condition: new Float32Array(condition.contextDim), ...guidance };
  const classes = condition.classes!;
  if (choice.class !== 'all') return { condition: choice.class, ...guidance };
  return { condition: Int32Array.from({ length: n }, (_, i) => Math.floor(i / rowsPerClass) % classes), ...guidance };
}
