// WGSL programs of the fused pairwise sums of a radial profile κ (the GPU twin of @pfm/ipm's host
// loop fusedPairSum). One thread per row i of p; the workgroup loads TILE rows of q at a time into
// workgroup memory, every thread reads them from there, so q is read from storage once per
// workgroup instead of once per thread, and nothing n×m is ever stored:
//   row sums   r_i = Σ_j κ(‖p_i − q_j‖²)
//   gradient   g_i = Σ_j a_j g(‖p_i − q_j‖²)(p_i − q_j),  ∇_p κ(‖p − q‖²) = g(s)(p − q)
// Here the profile of the energy distance, κ = ‖·‖^β, g = β‖·‖^(β−2) (0 where p_i = q_j)
// (Székely & Rizzo 2013); the MMD kernels' profiles are in pairwise-kernel-programs.ts.

/** Threads per workgroup (one row each). */
export const WORKGROUP = 64;
/** Largest point dimension the programs take: the gradient keeps a `[d]` accumulator per thread. */
export const MAX_DIM = 256;
/**
 * Workgroup memory for the tile of q, in floats (4 KiB; WebGPU guarantees 16). Kept small because
 * the shader compiler zero-fills workgroup memory in code: SwiftShader took 1.3 s to build the
 * program with 256 floats and 13 s with 4096.
 */
const TILE_FLOATS = 1024;

/**
 * The dimension the shader is compiled for: d rounded up to a power of two (at least 4). The
 * loops over coordinates run to the actual d, a uniform: with d a compile-time constant the
 * shader compiler unrolls them, and SwiftShader then took 30 s to build the d = 72 gradient.
 */
export function dimensionBucket(d: number): number {
  let bucket = 4;
  while (bucket < d) bucket *= 2;
  return bucket;
}

/** Rows of q per tile for points of dimension bucket `bucket`. */
export function tileRows(bucket: number): number {
  return Math.max(1, Math.min(WORKGROUP, Math.floor(TILE_FLOATS / bucket)));
}

/** The part of tfjs-backend-webgpu's WebGPUProgram these programs fill in. */
export interface PairwiseProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  uniforms: string;
  size: boolean;
  getUserCode(): string;
}

/**
 * A radial profile as WGSL: `profileValue(s)` = κ(s) and `profileFactor(s)` = g(s) with
 * ∇_p κ(‖p − q‖²) = g(s)(p − q), for s = ‖p − q‖²; both read their one parameter from
 * `uniforms.parameter`. `key` names the profile in the shader cache key.
 */
export interface RadialShader {
  key: string;
  snippet: string;
}

/** κ(s) = s^(β/2) = ‖·‖^β and g(s) = β s^(β/2 − 1), both 0 at s = 0; parameter β. */
export const DISTANCE_POWER_SHADER: RadialShader = {
  key: 'distance_power',
  snippet: `
  fn profileValue(s : f32) -> f32 {
    let beta = uniforms.parameter;
    if (s <= 0.0) { return 0.0; }
    if (beta == 1.0) { return sqrt(s); }
    return pow(s, 0.5 * beta);
  }
  fn profileFactor(s : f32) -> f32 {
    let beta = uniforms.parameter;
    if (s <= 0.0) { return 0.0; }
    if (beta == 1.0) { return inverseSqrt(s); }
    return beta * pow(s, 0.5 * beta - 1.0);
  }
`,
};

/** The tile loop shared by both programs; `body` runs for each loaded row t of q (index j). */
export function tiledLoop(tile: number, q: string, body: string): string {
  return `
    let rows = uniforms.${p(q)}Shape[0];
    let d = uniforms.dim;
    for (var j0 = 0; j0 < rows; j0 = j0 + ${tile}) {
      for (var k = i32(localIndex); k < ${tile} * d; k = k + ${WORKGROUP}) {
        let jj = j0 + k / d;
        if (jj < rows) { tileQ[k] = ${q}[jj * d + k % d]; }
      }
      workgroupBarrier();
      if (inRange) {
        let count = min(${tile}, rows - j0);
        for (var t = 0; t < count; t = t + 1) {
          let j = j0 + t;
          ${body}
        }
      }
      workgroupBarrier();
    }`;
}

/** The uniform field name tfjs gives a variable's shape: first letter lower-cased. */
function p(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function squaredDistanceSnippet(): string {
  return `
          var s = 0.0;
          for (var c = 0; c < d; c = c + 1) {
            let diff = P[row * d + c] - tileQ[t * d + c];
            s = s + diff * diff;
          }`;
}

export function rowProgram(outputShape: number[], rows: number, variableNames: string[], key: string, uniforms = 'parameter : f32, dim : i32,'): PairwiseProgram {
  return {
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(rows / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms,
    size: false,
    getUserCode: () => '',
  };
}

/** Row sums r_i = Σ_j κ(‖p_i − q_j‖²) of p `[n, d]` against q `[m, d]`; output `[n]`. */
export function radialSumProgram(profile: RadialShader, n: number, d: number): PairwiseProgram {
  const bucket = dimensionBucket(d);
  const tile = tileRows(bucket);
  const program = rowProgram([n], n, ['P', 'Q'], `pfm_pairwise_${profile.key}_sum_${bucket}`);
  program.getUserCode = () => `
    ${profile.snippet}
    var<workgroup> tileQ : array<f32, ${tile * bucket}>;
    fn main(index : i32) {
      let row = index;
      let inRange = row < uniforms.pShape[0];
      var total = 0.0;
      ${tiledLoop(tile, 'Q', `${squaredDistanceSnippet()}
          total = total + profileValue(s);`)}
      if (inRange) { setOutputAtIndex(row, total); }
    }`;
  return program;
}

/** g_i = Σ_j a_j ∇_p κ(‖p_i − q_j‖²) for p `[n, d]`, q `[m, d]`, a `[m]`; output `[n, d]`. */
export function radialGradProgram(profile: RadialShader, n: number, d: number): PairwiseProgram {
  const bucket = dimensionBucket(d);
  const tile = tileRows(bucket);
  const program = rowProgram([n, d], n, ['P', 'Q', 'A'], `pfm_pairwise_${profile.key}_grad_${bucket}`);
  program.getUserCode = () => `
    ${profile.snippet}
    var<workgroup> tileQ : array<f32, ${tile * bucket}>;
    fn main(index : i32) {
      let row = index;
      let inRange = row < uniforms.pShape[0];
      var acc : array<f32, ${bucket}>;
      ${tiledLoop(tile, 'Q', `${squaredDistanceSnippet()}
          let w = A[j] * profileFactor(s);
          for (var c = 0; c < d; c = c + 1) {
            acc[c] = acc[c] + w * (P[row * d + c] - tileQ[t * d + c]);
          }`)}
      if (inRange) {
        let d = uniforms.dim;
        for (var c = 0; c < d; c = c + 1) { setOutputAtIndex(row * d + c, acc[c]); }
      }
    }`;
  return program;
}

/** Row sums r_i = Σ_j ‖p_i − q_j‖^β of p `[n, d]` against q `[m, d]`; output `[n]`. */
export function pairwiseDistancePowerSumProgram(n: number, d: number): PairwiseProgram {
  return radialSumProgram(DISTANCE_POWER_SHADER, n, d);
}

/** g_i = Σ_j a_j β‖p_i − q_j‖^(β−2) (p_i − q_j) for p `[n, d]`, q `[m, d]`, a `[m]`; output `[n, d]`. */
export function pairwiseDistancePowerGradProgram(n: number, d: number): PairwiseProgram {
  return radialGradProgram(DISTANCE_POWER_SHADER, n, d);
}
