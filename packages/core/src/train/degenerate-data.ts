// Data that are legal but cannot say much about a distribution: one point, fewer points than the
// batch or than the dimension (a singular sample covariance, rank ≤ N − 1 < d), constant columns,
// or one point repeated. Training still runs on them; each finding is a sentence for the user
// (a warning on stderr in the CLI, `warnings` in trainRecipe's result).

/** What kind of degenerate data a warning is about. */
export type DegenerateDataKind =
  | 'single-point'
  | 'fewer-points-than-batch'
  | 'fewer-points-than-dimensions'
  | 'constant-columns'
  | 'duplicate-rows';

/** One finding of {@link degenerateData}. */
export interface DegenerateDataWarning {
  kind: DegenerateDataKind;
  /** One sentence naming the numbers and what was expected. */
  message: string;
}

/** What {@link degenerateData} compares the data with. */
export interface DegenerateDataOptions {
  /** The minibatch size of a training run (no batch check without it). */
  batchSize?: number;
  /**
   * True for images: constant columns are then normal (e.g. the blank border pixels of MNIST)
   * and not reported.
   */
  images?: boolean;
  /** How the data are called in the messages (default "the data"). */
  name?: string;
}

/**
 * The ways the points `values` (row-major `[rows, cols]`) are degenerate, in a fixed order:
 * fewer than 2 points, fewer points than `batchSize`, fewer points than dimensions, constant
 * columns (not for images), every row equal to the first. One pass over the values; empty when
 * nothing is wrong.
 */
export function degenerateData(values: ArrayLike<number>, rows: number, cols: number, options: DegenerateDataOptions = {}): DegenerateDataWarning[] {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`degenerateData: "rows" must be a non-negative integer, got ${rows}`);
  if (!Number.isSafeInteger(cols) || cols < 1) throw new RangeError(`degenerateData: "cols" must be a positive integer, got ${cols}`);
  if (values.length !== rows * cols) {
    throw new RangeError(`degenerateData: "values" has ${values.length} entries, expected rows · cols = ${rows} · ${cols} = ${rows * cols}`);
  }
  const name = options.name ?? 'the data set';
  const points = (n: number) => `${n} point${n === 1 ? '' : 's'}`;
  const found: DegenerateDataWarning[] = [];
  if (rows < 2) {
    found.push({ kind: 'single-point', message: `${name} has ${points(rows)}; at least 2 are needed to learn a distribution (a model of one point only learns that point)` });
  }
  const batchSize = options.batchSize;
  if (batchSize !== undefined && rows > 0 && rows < batchSize) {
    found.push({
      kind: 'fewer-points-than-batch',
      message: `${name} has ${points(rows)}, fewer than the batch size ${batchSize}: every batch repeats points (a batch size of at most ${rows} avoids it)`,
    });
  }
  if (rows > 0 && rows < cols) {
    found.push({
      kind: 'fewer-points-than-dimensions',
      message: `${name} has ${points(rows)} in ${cols} dimensions: fewer points than dimensions, so their covariance is singular (rank at most ${rows - 1}) and most directions are never seen`,
    });
  }
  if (rows < 2) return found;

  // One pass: a column is constant while every row equals row 0 there; the rows are all
  // duplicates of row 0 while no column has differed yet.
  const constant = new Uint8Array(cols).fill(1);
  let varying = 0;
  for (let r = 1; r < rows && varying < cols; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      if (constant[c] === 1 && values[base + c] !== values[c]) {
        constant[c] = 0;
        varying += 1;
      }
    }
  }
  if (varying === 0) {
    found.push({ kind: 'duplicate-rows', message: `all ${rows} points of ${name} are the same point: the data have no spread to learn` });
  } else if (!options.images && varying < cols) {
    const which: number[] = [];
    for (let c = 0; c < cols && which.length < 10; c++) if (constant[c] === 1) which.push(c);
    const count = cols - varying;
    const list = which.join(', ') + (count > which.length ? ', …' : '');
    found.push({
      kind: 'constant-columns',
      message: `${count} of ${cols} columns of ${name} are constant (0-based: ${list}): the model learns nothing about ${count === 1 ? 'it' : 'them'} but their value`,
    });
  }
  return found;
}
