// Minibatches walk seeded per-epoch permutations of the rows: batch k is rows k·b … k·b + b − 1
// of the concatenated permutations, so batch k depends only on (seed, k) and a resumed run draws
// the same batches as an uninterrupted one.
import type { Rng } from '../rng/rng.js';

/** Row indices of the k-th minibatch: consecutive slices of seeded per-epoch permutations. */
export class BatchIndexer {
  private epoch = -1;
  private order: Int32Array = new Int32Array(0);
  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {}

  /** `[batchSize]` row indices of batch `k` (0-based); epoch e's order is `rng.fold(e).permutation(size)`. */
  indices(k: number): Int32Array {
    const out = new Int32Array(this.batchSize);
    let pos = k * this.batchSize;
    for (let i = 0; i < this.batchSize; i++, pos++) {
      const e = Math.floor(pos / this.size);
      if (e !== this.epoch) {
        this.epoch = e;
        this.order = this.rng.fold(e).permutation(this.size);
      }
      out[i] = this.order[pos - e * this.size]!;
    }
    return out;
  }
}
