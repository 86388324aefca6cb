/** Validates user frequencies `[M][d]` and optional weights `[M]` for a feature family. */
export function checkFamilyArrays(
  where: string,
  dim: number,
  frequencies: ReadonlyArray<ReadonlyArray<number>>,
  weights: ReadonlyArray<number> | undefined,
  field = 'frequencies',
): void {
  if (!Array.isArray(frequencies) || frequencies.length === 0) {
    throw new RangeError(`${where}: ${field} must be a non-empty array of ${dim}-vectors`);
  }
  frequencies.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== dim || !row.every(Number.isFinite)) {
      throw new RangeError(`${where}: ${field}[${i}] must be ${dim} finite numbers, got ${JSON.stringify(row)}`);
    }
  });
  if (weights !== undefined) {
    if (!Array.isArray(weights) || weights.length !== frequencies.length) {
      throw new RangeError(`${where}: weights must have ${frequencies.length} entries (one per ${field} row), got ${weights?.length}`);
    }
    weights.forEach((w, i) => {
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`${where}: weights[${i}] must be ≥ 0, got ${w}`);
    });
  }
}

/** Validates a positive integer dimension. */
export function checkDim(where: string, dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`${where}: dim must be a positive integer, got ${String(dim)}`);
  }
  return dim;
}
