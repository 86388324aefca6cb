// pfm's minibatch rows of a run, as core's BatchIndexer draws them: batch k is rows k·B … (k+1)·B − 1
// of the concatenation of one random permutation of the N data rows per epoch, epoch e's order
// createRng(seed).fold(2).fold(e).permutation(N) (a batch may straddle two epochs). Shared by the
// stream-swap input writers.

/** int32 [steps · batchSize]: step s's rows at s·batchSize …, from the run's root stream `root`. */
export function minibatchRows(root, steps, batchSize, n) {
  const idx = new Int32Array(steps * batchSize);
  let epoch = -1;
  let order = new Int32Array(0);
  for (let pos = 0; pos < idx.length; pos++) {
    const e = Math.floor(pos / n);
    if (e !== epoch) {
      epoch = e;
      order = root.fold(2).fold(e).permutation(n);
    }
    idx[pos] = order[pos - e * n];
  }
  return idx;
}
