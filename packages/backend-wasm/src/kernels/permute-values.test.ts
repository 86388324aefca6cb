import { describe, expect, it } from 'vitest';
import { permuteValues, simplifyPermutation } from './permute-values.js';

// Every permutation of 0..rank-1.
function permutations(rank: number): number[][] {
  if (rank === 0) return [[]];
  return permutations(rank - 1).flatMap((p) => Array.from({ length: rank }, (_, at) => [...p.slice(0, at), rank - 1, ...p.slice(at)]));
}

// The definition, index by index: y[i] = x[j] with j[perm[k]] = i[k].
function naiveTranspose(x: Int32Array, shape: number[], perm: number[]): Int32Array {
  const rank = shape.length;
  const outShape = perm.map((axis) => shape[axis] as number);
  const y = new Int32Array(x.length);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < y.length; flat++) {
    let rest = flat;
    for (let k = rank - 1; k >= 0; k--) {
      index[k] = rest % (outShape[k] as number);
      rest = Math.floor(rest / (outShape[k] as number));
    }
    let from = 0;
    for (let axis = 0; axis < rank; axis++) from = from * (shape[axis] as number) + (index[perm.indexOf(axis)] as number);
    y[flat] = x[from] as number;
  }
  return y;
}

describe('permuteValues', () => {
  it('matches the index-by-index definition for every permutation of shapes of rank 1 to 5', () => {
    const shapes = [[5], [3, 4], [1, 7], [9, 1], [0, 3], [2, 3, 4], [3, 1, 5], [2, 0, 2], [2, 3, 1, 4], [3, 2, 2, 3], [2, 1, 3, 2, 3], [2, 3, 2, 1, 2]];
    let checked = 0;
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = Int32Array.from({ length: size }, (_, i) => i * 7 + 1);
      for (const perm of permutations(shape.length)) {
        const y = new Int32Array(size).fill(-1);
        permuteValues(x, shape, perm, y);
        expect(Array.from(y), `[${shape}] perm [${perm}]`).toEqual(Array.from(naiveTranspose(x, shape, perm)));
        checked++;
      }
    }
    expect(checked).toBe(1 + 2 * 4 + 6 * 3 + 24 * 2 + 120 * 2);
  });

  it('swaps the last two axes of matrices across tile edges, narrow and wide, batched', () => {
    for (const shape of [[70, 130], [130, 70], [64, 8], [4097, 2], [2, 4097], [3, 5], [7, 1, 9], [3, 17, 9], [2, 2, 66, 11]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = Int32Array.from({ length: size }, (_, i) => i);
      const rank = shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const y = new Int32Array(size);
      permuteValues(x, shape, perm, y);
      expect(Array.from(y), `[${shape}]`).toEqual(Array.from(naiveTranspose(x, shape, perm)));
    }
  });

  it('moves bool bytes and float32 bits (NaN, -0, ±Infinity) unchanged', () => {
    const bytes = Uint8Array.from([1, 0, 0, 1, 1, 0]);
    const movedBytes = new Uint8Array(6);
    permuteValues(bytes, [2, 3], [1, 0], movedBytes);
    expect(Array.from(movedBytes)).toEqual([1, 1, 0, 1, 0, 0]);
    const floats = Float32Array.from([NaN, -0, Infinity, -Infinity, 1.5, -2]);
    const moved = new Float32Array(6);
    permuteValues(floats, [3, 2], [1, 0], moved);
    expect(Array.from(moved)).toEqual([NaN, Infinity, 1.5, -0, -Infinity, -2]);
  });

  it('simplifies to the smallest equivalent transpose', () => {
    expect(simplifyPermutation([2, 3, 4], [2, 0, 1])).toEqual({ shape: [6, 4], perm: [1, 0] });
    expect(simplifyPermutation([2, 1, 3], [1, 0, 2])).toEqual({ shape: [6], perm: [0] });
    expect(simplifyPermutation([5, 2, 3, 4], [0, 3, 1, 2])).toEqual({ shape: [5, 6, 4], perm: [0, 2, 1] });
    expect(simplifyPermutation([2, 3, 4], [1, 0, 2])).toEqual({ shape: [2, 3, 4], perm: [1, 0, 2] });
  });
});
