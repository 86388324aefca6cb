/** Splits {0, …, n − 1} into consecutive ranges [start, start + size) of at most `tileSize`. */
export function tileRanges(n: number, tileSize: number): Array<{ start: number; size: number }> {
  const out: Array<{ start: number; size: number }> = [];
  for (let start = 0; start < n; start += tileSize) out.push({ start, size: Math.min(tileSize, n - start) });
  return out;
}

/** Default tile: 1024 × 1024 float32 entries (4 MB) per pairwise block. */
export const DEFAULT_TILE_SIZE = 1024;

/** Validates a `tileSize` option: a positive integer. */
export function checkTileSize(where: string, tileSize: number): number {
  if (!Number.isInteger(tileSize) || tileSize < 1) {
    throw new RangeError(`${where}: tileSize must be a positive integer, got ${tileSize}`);
  }
  return tileSize;
}
