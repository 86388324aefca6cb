// The checks shared by PfmGroupNorm and PfmGroupNormGrad: x [n, h, w, c] float32, γ and β [c],
// groups a positive divisor of c, ε > 0. Each error names the input or attribute, its value and
// what was expected.
import type * as tf from '@tensorflow/tfjs-core';

/** The geometry of a group norm: samples, pixels per sample, channels, groups, channels per group. */
export interface GroupNormGeometry {
  batch: number;
  pixels: number;
  channels: number;
  groups: number;
  perGroup: number;
  epsilon: number;
}

/** Checks `x` `[n, h, w, c]`, `scale` `[c]` and the attributes `groups`, `epsilon`; returns the geometry. */
export function checkGroupNormInputs(kernel: string, x: tf.TensorInfo, scale: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined): GroupNormGeometry {
  if (x.dtype !== 'float32' || x.shape.length !== 4) {
    throw new Error(`${kernel}: inputs.x is ${x.dtype} [${x.shape.join(', ')}]; expected float32 [n, h, w, c]`);
  }
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  if (scale.dtype !== 'float32' || scale.shape.length !== 1 || scale.shape[0] !== channels) {
    throw new Error(`${kernel}: inputs.scale is ${scale.dtype} [${scale.shape.join(', ')}]; expected float32 [${channels}] (one value per channel of x)`);
  }
  const groups = attrs?.groups;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups <= 0 || channels % groups !== 0) {
    throw new Error(`${kernel}: attrs.groups is ${JSON.stringify(groups)}; expected a positive divisor of the ${channels} channels of x`);
  }
  const epsilon = attrs?.epsilon ?? 1e-5;
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new Error(`${kernel}: attrs.epsilon is ${JSON.stringify(epsilon)}; expected a finite number > 0`);
  }
  return { batch, pixels: height * width, channels, groups, perGroup: channels / groups, epsilon };
}
