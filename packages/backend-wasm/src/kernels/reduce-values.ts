// out[i] = ⊕_{j ∈ reduced axes} x[i, j] for ⊕ = sum, mean (sum / count), max, min or prod, over
// any set of axes of a row-major array, without transposing it first. The axes are
// simplified (size-1 axes dropped, neighbouring axes of the same kind merged), then x is read
// once in memory order: when the innermost axis is kept (axis 0 of [n, c]) each contiguous
// row of c values is combined into a c-long accumulator; when it is reduced, each contiguous
// run is folded to one number first. Accumulators are float64 and the reduced values are
// visited in the cpu backend's order, so sums and products match it to float32 rounding.
// max/min propagate NaN, as the cpu backend does.

/** The reductions of reduceValues. */
export type ReductionOp = 'sum' | 'mean' | 'max' | 'min' | 'prod';

/** Readable values of a reduction: float32, int32 or bool (bytes). */
export type ReducibleArray = Float32Array | Int32Array | Uint8Array;

/** The reduction split into alternating groups of kept and reduced axes (size-1 axes dropped). */
export interface ReductionGroups {
  sizes: number[];
  reduced: boolean[];
}

/**
 * Merges neighbouring axes that are both kept or both reduced, dropping size-1 axes:
 * [4, 1, 5, 6] reduced over {2, 3} gives sizes [4, 30], reduced [false, true].
 */
export function groupReductionAxes(shape: readonly number[], axes: readonly number[]): ReductionGroups {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  shape.forEach((size, axis) => {
    if (size === 1) return;
    const isReduced = axes.includes(axis);
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === isReduced) sizes[last] = (sizes[last] as number) * size;
    else {
      sizes.push(size);
      reduced.push(isReduced);
    }
  });
  return { sizes, reduced };
}

/**
 * Writes the reduction `op` of `x` (row-major, `shape`) over `axes` (distinct, in 0..rank-1)
 * into `out` (the kept axes in order, size ∏ kept sizes). An empty reduction gives what the
 * cpu backend gives: 0 (sum, mean), 1 (prod), NaN for float32 and 0 for int32 (max, min).
 */
export function reduceValues(op: ReductionOp, x: ReducibleArray, shape: readonly number[], axes: readonly number[], out: ReducibleArray): void {
  const count = axes.reduce((product, axis) => product * (shape[axis] as number), 1);
  const acc = accumulator(out.length);
  if (count === 0) {
    acc.fill(op === 'sum' || op === 'mean' ? 0 : op === 'prod' ? 1 : NaN);
    out.set(acc);
    return;
  }
  acc.fill(op === 'sum' || op === 'mean' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity);
  const { sizes, reduced } = groupReductionAxes(shape, axes);
  if (sizes.length === 0) {
    acc[0] = x[0] as number;
  } else {
    accumulate(op, x, acc, sizes, reduced);
  }
  if (op === 'mean') for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) / count;
  out.set(acc);
}

// One float64 accumulator reused across calls: allocating a typed array of some kilobytes
// costs V8 ~100 µs (an external backing store), more than reducing a [512, 64] matrix. Kept up
// to 64 Ki values (512 KiB); a larger output gets a buffer of its own, not kept.
const KEPT_SCRATCH = 1 << 16;
let scratch = new Float64Array(1024);

/** A float64 array of `length` values, over the shared scratch buffer when it fits (contents undefined). */
function accumulator(length: number): Float64Array {
  if (length > KEPT_SCRATCH) return new Float64Array(length);
  if (scratch.length < length) scratch = new Float64Array(KEPT_SCRATCH);
  return scratch.subarray(0, length);
}

/**
 * Reads x in memory order. The groups alternate kept and reduced, so the last two form blocks
 * of [reduced n, kept c] (rows combined into acc[o .. o+c)) or [kept k, reduced l] (runs
 * folded into acc[o + i]); an odometer over the outer groups gives each block's offset o.
 */
function accumulate(op: ReductionOp, x: ReducibleArray, acc: Float64Array, sizes: number[], reduced: boolean[]): void {
  const groups = sizes.length;
  const inner = sizes[groups - 1] as number;
  if (groups === 1) {
    if (reduced[0]) combineOne(op, acc, 0, foldRun(op, x, 0, inner));
    else combineRows(op, acc, 0, x, 0, 1, inner);
    return;
  }
  const outer = sizes[groups - 2] as number;
  const block = outer * inner;
  const innerReduced = reduced[groups - 1] as boolean;
  // Accumulator stride of each outer group (0 for a reduced one) and the accumulator size of one block.
  const blockOut = innerReduced ? outer : inner;
  const outStrides = new Array<number>(groups - 2);
  let stride = blockOut;
  for (let g = groups - 3; g >= 0; g--) {
    outStrides[g] = reduced[g] ? 0 : stride;
    if (!reduced[g]) stride *= sizes[g] as number;
  }
  const counters = new Array<number>(groups - 2).fill(0);
  let o = 0;
  // Sums of short runs (a group norm's [n, h·w, groups, channels per group] over axes 1 and 3:
  // runs of 2 to 6 values) inline the fold: two calls per run cost more than the run itself.
  const inlineSum = innerReduced && (op === 'sum' || op === 'mean');
  for (let at = 0; at < x.length; at += block) {
    if (inlineSum) {
      for (let i = 0, from = at; i < outer; i++) {
        let run = 0;
        for (let j = 0; j < inner; j++, from++) run += x[from] as number;
        acc[o + i] = (acc[o + i] as number) + run;
      }
    } else if (innerReduced) {
      for (let i = 0; i < outer; i++) combineOne(op, acc, o + i, foldRun(op, x, at + i * inner, inner));
    } else {
      combineRows(op, acc, o, x, at, outer, inner);
    }
    for (let g = groups - 3; g >= 0; g--) {
      const next = (counters[g] as number) + 1;
      if (next < (sizes[g] as number)) {
        counters[g] = next;
        o += outStrides[g] as number;
        break;
      }
      counters[g] = 0;
      o -= (next - 1) * (outStrides[g] as number);
    }
  }
}

/**
 * acc[o + j] ⊕= x[at + r·length + j] for r < rows, j < length, rows in order. Sums and
 * products take four rows per load and store of acc (the same left-to-right order, a quarter
 * of the accumulator traffic, which is what a plain loop spends its time on in V8).
 */
function combineRows(op: ReductionOp, acc: Float64Array, o: number, x: ReducibleArray, at: number, rows: number, length: number): void {
  let r = 0;
  if (op === 'sum' || op === 'mean') {
    for (; r + 4 <= rows; r += 4) {
      const a = at + r * length;
      const b = a + length;
      const c = b + length;
      const d = c + length;
      for (let j = 0; j < length; j++) {
        acc[o + j] = (acc[o + j] as number) + (x[a + j] as number) + (x[b + j] as number) + (x[c + j] as number) + (x[d + j] as number);
      }
    }
  } else if (op === 'prod') {
    for (; r + 4 <= rows; r += 4) {
      const a = at + r * length;
      const b = a + length;
      const c = b + length;
      const d = c + length;
      for (let j = 0; j < length; j++) {
        acc[o + j] = (acc[o + j] as number) * (x[a + j] as number) * (x[b + j] as number) * (x[c + j] as number) * (x[d + j] as number);
      }
    }
  }
  for (; r < rows; r++) combineRow(op, acc, o, x, at + r * length, length);
}

/** acc[o .. o+length) ⊕= x[at .. at+length); max and min keep a NaN once it is there. */
function combineRow(op: ReductionOp, acc: Float64Array, o: number, x: ReducibleArray, at: number, length: number): void {
  switch (op) {
    case 'sum':
    case 'mean':
      for (let j = 0; j < length; j++) acc[o + j] = (acc[o + j] as number) + (x[at + j] as number);
      return;
    case 'prod':
      for (let j = 0; j < length; j++) acc[o + j] = (acc[o + j] as number) * (x[at + j] as number);
      return;
    case 'max':
      for (let j = 0; j < length; j++) {
        const a = acc[o + j] as number;
        const v = x[at + j] as number;
        if (a === a && (v > a || v !== v)) acc[o + j] = v;
      }
      return;
    case 'min':
      for (let j = 0; j < length; j++) {
        const a = acc[o + j] as number;
        const v = x[at + j] as number;
        if (a === a && (v < a || v !== v)) acc[o + j] = v;
      }
      return;
  }
}

/** ⊕ of x[at .. at+length), in order. */
function foldRun(op: ReductionOp, x: ReducibleArray, at: number, length: number): number {
  let result = op === 'sum' || op === 'mean' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
  switch (op) {
    case 'sum':
    case 'mean':
      for (let j = 0; j < length; j++) result += x[at + j] as number;
      return result;
    case 'prod':
      for (let j = 0; j < length; j++) result *= x[at + j] as number;
      return result;
    case 'max':
      for (let j = 0; j < length; j++) {
        const v = x[at + j] as number;
        if (v !== v) return v;
        if (v > result) result = v;
      }
      return result;
    case 'min':
      for (let j = 0; j < length; j++) {
        const v = x[at + j] as number;
        if (v !== v) return v;
        if (v < result) result = v;
      }
      return result;
  }
}

/** acc[o] ⊕= value. */
function combineOne(op: ReductionOp, acc: Float64Array, o: number, value: number): void {
  const a = acc[o] as number;
  switch (op) {
    case 'sum':
    case 'mean':
      acc[o] = a + value;
      return;
    case 'prod':
      acc[o] = a * value;
      return;
    case 'max':
      if (a === a && (value > a || value !== value)) acc[o] = value;
      return;
    case 'min':
      if (a === a && (value < a || value !== value)) acc[o] = value;
      return;
  }
}
