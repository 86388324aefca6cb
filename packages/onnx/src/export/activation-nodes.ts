// The activations of @pfm/core (maps/activations.ts) as ONNX nodes, op for op the same formulas:
// silu x·σ(x), gelu ½x(1 + erf(x/√2)) (exact, Hendrycks & Gimpel 2016), selu with the constants of
// Klambauer et al. 2017 (ONNX Selu's defaults), elu with α = 1.
import { ACTIVATIONS } from '@pfm/core';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { OnnxError } from './onnx-error.js';

/** Appends the activation `name` to `x` and returns the activated value (`x` itself for `linear`). */
export function activationNodes(g: GraphBuilder, x: string, name: string, where: string): string {
  switch (name) {
    case 'relu':
      return g.node('Relu', [x]);
    case 'silu':
      return g.node('Mul', [x, g.node('Sigmoid', [x])]);
    case 'tanh':
      return g.node('Tanh', [x]);
    case 'selu':
      return g.node('Selu', [x], { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } });
    case 'gelu': {
      const half = g.node('Mul', [x, g.constant('gelu/half', [0.5], [])]);
      const erf = g.node('Erf', [g.node('Mul', [x, g.constant('gelu/inv_sqrt2', [Math.SQRT1_2], [])])]);
      return g.node('Mul', [half, g.node('Add', [erf, g.constant('gelu/one', [1], [])])]);
    }
    case 'elu':
      return g.node('Elu', [x], { alpha: { float: 1 } });
    case 'sigmoid':
      return g.node('Sigmoid', [x]);
    case 'softplus':
      return g.node('Softplus', [x]);
    case 'linear':
      return x;
    default:
      throw new OnnxError(`${where}: activation "${name}" has no ONNX export; supported: ${ACTIVATIONS.join(', ')}`);
  }
}
