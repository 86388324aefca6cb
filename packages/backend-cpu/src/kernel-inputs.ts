// `@pfm/backend-cpu/kernel-inputs`: the input contracts of pfm's own kernels, one copy for every
// backend that registers them (cpu here, wasm in @pfm/backend-wasm), so that a bad call fails with
// the same message everywhere. No side effect on import; it needs tfjs-core's types only.
//   PfmFusedDense      x [n, k], weight [k, m], bias [m] → act(x·W + b) [n, m]
//   PfmFusedDenseGrad  dy [n, m], x, weight, y [n, m] → [dx, dWeight, dBias]
//   PfmTangentSlope    tangent [n·r, w] or [r, w] (shared), y [n, w] → tangent ⊙ σ′ [n·r, w]
//   PfmTangentSlopeGrad dy [n·r, w], tangent, y, dValue [n, w] → [dTangent, dValue′]
// act ∈ FUSED_DENSE_ACTIVATIONS, whose derivative the kernels read from the layer's output y.
import type * as tf from '@tensorflow/tfjs-core';

/** The activations of the fused dense and tangent-slope kernels. */
export const FUSED_DENSE_ACTIVATIONS = ['linear', 'relu', 'selu'] as const;

/** One of {@link FUSED_DENSE_ACTIVATIONS}. */
export type FusedDenseActivation = (typeof FUSED_DENSE_ACTIVATIONS)[number];

function activationOf(kernel: string, attrs: tf.NamedAttrMap | undefined): FusedDenseActivation {
  const activation = String(attrs?.activation ?? 'linear');
  if (!(FUSED_DENSE_ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new Error(`${kernel}: attrs.activation is '${activation}'; expected one of ${FUSED_DENSE_ACTIVATIONS.join(', ')}`);
  }
  return activation as FusedDenseActivation;
}

function checkMatrix(kernel: string, name: string, t: tf.TensorInfo, rows: number, columns: number): void {
  if (t.dtype !== 'float32' || t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== columns) {
    throw new Error(`${kernel}: inputs.${name} is ${t.dtype} [${t.shape.join(', ')}]; expected float32 [${rows}, ${columns}]`);
  }
}

/** The geometry of a fused dense call: x `[n, k]`, weight `[k, m]`. */
export interface FusedDenseGeometry {
  n: number;
  k: number;
  m: number;
  activation: FusedDenseActivation;
}

function checkDense(kernel: string, x: tf.TensorInfo, weight: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined): FusedDenseGeometry {
  const activation = activationOf(kernel, attrs);
  for (const [name, t] of [['x', x], ['weight', weight]] as const) {
    if (t.dtype !== 'float32' || t.shape.length !== 2) {
      throw new Error(`${kernel}: inputs.${name} is ${t.dtype} [${t.shape.join(', ')}]; expected a float32 matrix`);
    }
  }
  if (x.shape[1] !== weight.shape[0]) {
    throw new Error(`${kernel}: inputs.weight has ${weight.shape[0]} rows; expected x's ${x.shape[1]} columns`);
  }
  return { n: x.shape[0] as number, k: x.shape[1] as number, m: weight.shape[1] as number, activation };
}

/** Checks `PfmFusedDense`'s inputs (x, weight, bias) and attrs; returns the geometry. */
export function checkFusedDenseInputs(inputs: { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo }, attrs: tf.NamedAttrMap | undefined): FusedDenseGeometry {
  const geometry = checkDense('PfmFusedDense', inputs.x, inputs.weight, attrs);
  const { bias } = inputs;
  if (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== geometry.m) {
    throw new Error(`PfmFusedDense: inputs.bias is ${bias.dtype} [${bias.shape.join(', ')}]; expected float32 [${geometry.m}]`);
  }
  return geometry;
}

/** Checks `PfmFusedDenseGrad`'s inputs (dy, x, weight, y) and attrs; returns the geometry. */
export function checkFusedDenseGradInputs(inputs: { dy: tf.TensorInfo; x: tf.TensorInfo; weight: tf.TensorInfo; y: tf.TensorInfo }, attrs: tf.NamedAttrMap | undefined): FusedDenseGeometry {
  const geometry = checkDense('PfmFusedDenseGrad', inputs.x, inputs.weight, attrs);
  checkMatrix('PfmFusedDenseGrad', 'dy', inputs.dy, geometry.n, geometry.m);
  checkMatrix('PfmFusedDenseGrad', 'y', inputs.y, geometry.n, geometry.m);
  return geometry;
}

/** The geometry of a tangent-slope call: n points, r tangents each, width w; `shared`: T is one `[r, w]` block. */
export interface TangentSlopeGeometry {
  n: number;
  r: number;
  w: number;
  shared: boolean;
  activation: FusedDenseActivation;
}

function checkSlope(kernel: string, tangent: tf.TensorInfo, y: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined): TangentSlopeGeometry {
  const activation = activationOf(kernel, attrs);
  const r = Number(attrs?.directions);
  if (!Number.isInteger(r) || r < 1) throw new Error(`${kernel}: attrs.directions is ${String(attrs?.directions)}; expected an integer ≥ 1 (tangents per point)`);
  if (y.dtype !== 'float32' || y.shape.length !== 2) throw new Error(`${kernel}: inputs.y is ${y.dtype} [${y.shape.join(', ')}]; expected a float32 matrix [n, w]`);
  const [n, w] = y.shape as [number, number];
  const rows = tangent.shape[0];
  if (tangent.dtype !== 'float32' || tangent.shape.length !== 2 || tangent.shape[1] !== w || (rows !== n * r && rows !== r)) {
    throw new Error(`${kernel}: inputs.tangent is ${tangent.dtype} [${tangent.shape.join(', ')}]; expected float32 [${n * r}, ${w}] or [${r}, ${w}] (shared by the points)`);
  }
  return { n, r, w, shared: rows !== n * r, activation };
}

/** Checks `PfmTangentSlope`'s inputs (tangent, y) and attrs `{ activation, directions }`; returns the geometry. */
export function checkTangentSlopeInputs(inputs: { tangent: tf.TensorInfo; y: tf.TensorInfo }, attrs: tf.NamedAttrMap | undefined): TangentSlopeGeometry {
  return checkSlope('PfmTangentSlope', inputs.tangent, inputs.y, attrs);
}

/** Checks `PfmTangentSlopeGrad`'s inputs (dy, tangent, y, dValue) and attrs; returns the geometry. */
export function checkTangentSlopeGradInputs(inputs: { dy: tf.TensorInfo; tangent: tf.TensorInfo; y: tf.TensorInfo; dValue: tf.TensorInfo }, attrs: tf.NamedAttrMap | undefined): TangentSlopeGeometry {
  const geometry = checkSlope('PfmTangentSlopeGrad', inputs.tangent, inputs.y, attrs);
  checkMatrix('PfmTangentSlopeGrad', 'dy', inputs.dy, geometry.n * geometry.r, geometry.w);
  checkMatrix('PfmTangentSlopeGrad', 'dValue', inputs.dValue, geometry.n, geometry.w);
  return geometry;
}
