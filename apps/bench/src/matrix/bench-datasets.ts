// The data sets of the matrix: the 2-D sets of @pfm/datasets (torchcfm variants where the published
// W2 numbers come from torchcfm's generators) and the 1-D task of Fig. 1 of Cabannes (arXiv
// 2311.13845): Gaussian noise → Uniform(0, 1).

/** One data set of the matrix: a registry data set id and its options. */
export interface BenchDataset {
  /** The name used in tables and on the command line. */
  name: string;
  /** The `dataset` registry id. */
  dataset: string;
  options: Record<string, unknown>;
  /** The data set's dimension. */
  dim: number;
}

/** Every data set of the full matrix, in table order. */
export const BENCH_DATASETS: readonly BenchDataset[] = [
  // Stratified as sklearn's make_moons and torchdyn's generate_gaussians lay their samples out.
  { name: 'moons', dataset: 'moons', options: { variant: 'torchcfm', stratified: true }, dim: 2 },
  { name: '8gaussians', dataset: '8gaussians', options: { variant: 'torchcfm', stratified: true }, dim: 2 },
  { name: 'scurve', dataset: 'scurve', options: {}, dim: 2 },
  { name: 'checkerboard', dataset: 'checkerboard', options: {}, dim: 2 },
  { name: 'pinwheel', dataset: 'pinwheel', options: {}, dim: 2 },
  { name: '2spirals', dataset: '2spirals', options: {}, dim: 2 },
  { name: 'swissroll', dataset: 'swissroll', options: {}, dim: 2 },
  { name: 'circles', dataset: 'circles', options: {}, dim: 2 },
  { name: 'rings', dataset: 'rings', options: {}, dim: 2 },
  { name: 'uniform-1d', dataset: 'uniform-1d', options: { low: 0, high: 1 }, dim: 1 },
];
