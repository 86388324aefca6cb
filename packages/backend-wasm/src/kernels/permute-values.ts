// y = transpose(x, perm): y[i_0, ..., i_{r-1}] = x[j] with j[perm[k]] = i_k, on flat
// row-major typed arrays. The axes are first simplified: size-1 axes dropped, and axes that
// stay neighbours in the same order merged (a [b, m, n] -> [n, b, m] move is a 2-D swap of
// [b·m, n]). A swap of the last two axes of [batch, rows, cols] (every transposed matMul
// operand, every 2-D transpose) is copied in tiles of 64 rows × 8 columns, unrolled, so that
// reads and writes stay in a few cache lines; any other order walks the output with an
// odometer over the input.

/** Values a transpose moves: 4-byte lanes (float32 moved as their bits) or bytes (bool). */
export type PermutableArray = Int32Array | Float32Array | Uint8Array;

/** Rows per tile of the swap path: 64 rows × 8 columns of 4-byte values read, 8 output rows written. */
const TILE_ROWS = 64;
/**
 * Writes `source` (row-major, `shape`) transposed by `perm` into `target` (row-major, shape
 * `perm.map((a) => shape[a])`). `perm` must be a permutation of 0..rank-1 and both arrays
 * of size ∏ shape; `target` must not overlap `source`.
 */
export function permuteValues(source: PermutableArray, shape: readonly number[], perm: readonly number[], target: PermutableArray): void {
  const { shape: s, perm: p } = simplifyPermutation(shape, perm);
  const rank = s.length;
  if (rank <= 1) {
    target.set(source);
    return;
  }
  if (p[rank - 1] === rank - 2 && p[rank - 2] === rank - 1 && isIdentityPrefix(p, rank - 2)) {
    const rows = s[rank - 2] as number;
    const cols = s[rank - 1] as number;
    swapLastTwo(source, target, source.length / (rows * cols), rows, cols);
    return;
  }
  permuteStrided(source, target, s, p);
}

/**
 * The same transpose with size-1 axes dropped and runs of neighbouring axes that keep their
 * order merged into one: the smallest shape and permutation that move the values alike.
 */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // Input axes numbered among those of size other than 1: [a, 1, b] with axes 0 and 2 kept in
  // order is one run, as [a, b] would be.
  const renumbered = new Array<number>(shape.length).fill(-1);
  let next = 0;
  shape.forEach((size, axis) => {
    if (size !== 1) renumbered[axis] = next++;
  });
  // Runs of consecutive input axes, in output order.
  const runs: Array<{ first: number; size: number }> = [];
  let previous = -2;
  for (const original of perm) {
    const axis = renumbered[original] as number;
    if (axis < 0) continue;
    const size = shape[original] as number;
    const last = runs[runs.length - 1];
    if (last !== undefined && axis === previous + 1) last.size *= size;
    else runs.push({ first: axis, size });
    previous = axis;
  }
  const inputOrder = runs.map((_, i) => i).sort((a, b) => (runs[a] as { first: number }).first - (runs[b] as { first: number }).first);
  const rankOf = new Array<number>(runs.length);
  inputOrder.forEach((run, position) => {
    rankOf[run] = position;
  });
  return {
    shape: inputOrder.map((run) => (runs[run] as { size: number }).size),
    perm: runs.map((_, run) => rankOf[run] as number),
  };
}

function isIdentityPrefix(perm: readonly number[], length: number): boolean {
  for (let i = 0; i < length; i++) if (perm[i] !== i) return false;
  return true;
}

/**
 * [batch, rows, cols] -> [batch, cols, rows]. Eight input columns at a time go to eight output
 * rows (unrolled: one loop step moves eight values, which halves the cost per value against a
 * plain loop in V8), down tiles of TILE_ROWS rows; with fewer than eight columns, four input
 * rows at a time go to four output columns.
 */
function swapLastTwo(source: PermutableArray, target: PermutableArray, batch: number, rows: number, cols: number): void {
  const matrix = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * matrix;
    if (cols < 8) {
      swapNarrow(source, target, base, rows, cols);
      continue;
    }
    for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
      const r1 = Math.min(r0 + TILE_ROWS, rows);
      let c = 0;
      for (; c + 8 <= cols; c += 8) {
        let from = base + r0 * cols + c;
        let to = base + c * rows + r0;
        for (let r = r0; r < r1; r++, to++, from += cols) {
          target[to] = source[from] as number;
          target[to + rows] = source[from + 1] as number;
          target[to + 2 * rows] = source[from + 2] as number;
          target[to + 3 * rows] = source[from + 3] as number;
          target[to + 4 * rows] = source[from + 4] as number;
          target[to + 5 * rows] = source[from + 5] as number;
          target[to + 6 * rows] = source[from + 6] as number;
          target[to + 7 * rows] = source[from + 7] as number;
        }
      }
      for (; c < cols; c++) {
        let from = base + r0 * cols + c;
        let to = base + c * rows + r0;
        for (let r = r0; r < r1; r++, to++, from += cols) target[to] = source[from] as number;
      }
    }
  }
}

/** One [rows, cols] matrix with cols < 8 (a [4096, 2] batch of points): four input rows per step. */
function swapNarrow(source: PermutableArray, target: PermutableArray, base: number, rows: number, cols: number): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    let from = base + r * cols;
    let to = base + r;
    for (let c = 0; c < cols; c++, from++, to += rows) {
      target[to] = source[from] as number;
      target[to + 1] = source[from + cols] as number;
      target[to + 2] = source[from + 2 * cols] as number;
      target[to + 3] = source[from + 3 * cols] as number;
    }
  }
  for (; r < rows; r++) {
    let from = base + r * cols;
    let to = base + r;
    for (let c = 0; c < cols; c++, from++, to += rows) target[to] = source[from] as number;
  }
}

/** Any permutation: walks the output in order, moving an odometer over the input's strides. */
function permuteStrided(source: PermutableArray, target: PermutableArray, shape: readonly number[], perm: readonly number[]): void {
  const rank = shape.length;
  const inputStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inputStrides[axis] = stride;
    stride *= shape[axis] as number;
  }
  // Output axis k walks input axis perm[k].
  const sizes = perm.map((axis) => shape[axis] as number);
  const steps = perm.map((axis) => inputStrides[axis] as number);
  const innerSize = sizes[rank - 1] as number;
  const innerStep = steps[rank - 1] as number;
  const counters = new Array<number>(rank - 1).fill(0);
  const total = target.length;
  let from = 0;
  for (let to = 0; to < total; ) {
    let at = from;
    for (let i = 0; i < innerSize; i++) {
      target[to++] = source[at] as number;
      at += innerStep;
    }
    // Advance the odometer over the outer output axes.
    for (let k = rank - 2; k >= 0; k--) {
      const count = (counters[k] as number) + 1;
      if (count < (sizes[k] as number)) {
        counters[k] = count;
        from += steps[k] as number;
        break;
      }
      counters[k] = 0;
      from -= (count - 1) * (steps[k] as number);
    }
  }
}
