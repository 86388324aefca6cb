// The weights of a network declared first and allocated once: a map lists its layers, the total is
// checked with reserveParameters (so a model file cannot ask for more than it holds), then every
// variable is created. Default laws are PyTorch's (Paszke et al. 2019, torch.nn.init):
//   nn.Linear, nn.Conv2d      W, b ~ U(±1/√fan_in), fan_in = c_in·k_h·k_w (1·1 for a dense layer);
//   nn.ConvTranspose2d        the same bound with PyTorch's fan_in of its weight (c_out, k, k): c_out·k_h·k_w;
//   nn.GroupNorm              γ = 1, β = 0.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';
import { reserveParameters } from '../model/parameter-budget.js';

/** A dense or convolution layer: kernel and bias, filled in by `allocate`. */
export interface WeightLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** A normalisation layer's per-channel scale γ and shift β, filled in by `allocate`. */
export interface ScaleShiftLayer {
  scale: tf.Variable;
  shift: tf.Variable;
}

interface Declared {
  name: string;
  shape: number[];
  values: (rng: Rng) => Float32Array;
  assign: (v: tf.Variable) => void;
}

/** The layer declarations of one map; `allocate` checks the budget, then makes the variables. */
export interface LayerParameters {
  /** Dense `[fanIn, fanOut]`; `scale` multiplies the initial kernel and bias (0 starts at zero). */
  dense(name: string, fanIn: number, fanOut: number, scale?: number): WeightLayer;
  /** Convolution kernel `[k, k, cIn, cOut]` (tfjs conv2d layout) and bias `[cOut]`. */
  conv(name: string, size: number, cIn: number, cOut: number, scale?: number): WeightLayer;
  /** Transposed convolution kernel `[k, k, cOut, cIn]` (tfjs conv2dTranspose layout) and bias `[cOut]`. */
  convTranspose(name: string, size: number, cIn: number, cOut: number): WeightLayer;
  /** Scale γ `[c]` = 1 and shift β `[c]` = 0. */
  scaleShift(name: string, channels: number): ScaleShiftLayer;
  /** Number of scalars declared so far. */
  readonly count: number;
  /** Reserves `count` parameters (`what` names the map) and creates the variables in declaration order. */
  allocate(what: string): tf.Variable[];
}

/** Starts the declarations of a map; variable names are `${scope}/${name}/kernel` and so on. */
export function layerParameters(scope: string, rng: Rng): LayerParameters {
  const declared: Declared[] = [];
  let count = 0;
  const declare = (name: string, shape: number[], values: (r: Rng) => Float32Array, assign: (v: tf.Variable) => void) => {
    declared.push({ name, shape, values, assign });
    count += shape.reduce((a, b) => a * b, 1);
  };
  const uniform = (bound: number, scale: number) => (r: Rng, n: number) => {
    const values = r.uniformArray(n, -bound, bound);
    return scale === 1 ? values : values.map((v) => v * scale);
  };
  const weights = (name: string, kernelShape: number[], fanIn: number, outputs: number, scale: number): WeightLayer => {
    const layer = {} as WeightLayer;
    const draw = uniform(1 / Math.sqrt(fanIn), scale);
    const kernelSize = kernelShape.reduce((a, b) => a * b, 1);
    declare(`${name}/kernel`, kernelShape, (r) => draw(r, kernelSize), (v) => (layer.kernel = v));
    declare(`${name}/bias`, [outputs], (r) => draw(r, outputs), (v) => (layer.bias = v));
    return layer;
  };
  return {
    dense: (name, fanIn, fanOut, scale = 1) => weights(name, [fanIn, fanOut], fanIn, fanOut, scale),
    conv: (name, size, cIn, cOut, scale = 1) => weights(name, [size, size, cIn, cOut], cIn * size * size, cOut, scale),
    convTranspose: (name, size, cIn, cOut) => weights(name, [size, size, cOut, cIn], cOut * size * size, cOut, 1),
    scaleShift(name, channels) {
      const layer = {} as ScaleShiftLayer;
      declare(`${name}/scale`, [channels], () => new Float32Array(channels).fill(1), (v) => (layer.scale = v));
      declare(`${name}/shift`, [channels], () => new Float32Array(channels), (v) => (layer.shift = v));
      return layer;
    },
    get count() {
      return count;
    },
    allocate(what) {
      reserveParameters(count, what);
      const variables: tf.Variable[] = [];
      try {
        declared.forEach((d, i) => {
          const values = d.values(rng.fold(i));
          const variable = tf.tidy(() => tf.variable(tf.tensor(values, d.shape, 'float32'), true, `${scope}/${d.name}`));
          variables.push(variable);
          d.assign(variable);
        });
      } catch (error) {
        for (const v of variables) v.dispose();
        throw error;
      }
      return variables;
    },
  };
}
