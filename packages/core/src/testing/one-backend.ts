/**
 * Whether the current test project is the one backend a test should run on, where running it on
 * every backend of the matrix would repeat the same work.
 *
 * The test matrix runs each package's suite once per backend (`PFM_BACKEND`, narrowed by
 * `PFM_TEST_BACKENDS`). Some tests check a property of a whole training run (a model trained
 * for hundreds of steps, then a law checked on its samples) or of a host-side parser; the
 * kernels under them are compared backend against backend by the conformance tests, so a
 * second run costs minutes of the suite and checks nothing new. Such a test runs on `prefer`
 * when the matrix has it, else on the first backend it has; outside the matrix (no
 * `PFM_BACKEND`) it always runs.
 *
 * @example
 * it.runIf(onOneBackend('wasm'))('a conditional flow puts 98% of its samples in their own mode', …)
 */
export function onOneBackend(prefer: 'cpu' | 'wasm'): boolean {
  const current = process.env.PFM_BACKEND;
  if (current === undefined) return true;
  const wanted = (process.env.PFM_TEST_BACKENDS ?? 'cpu,wasm').split(',').map((s) => s.trim());
  const chosen = wanted.includes(prefer) ? prefer : ['cpu', 'wasm'].find((b) => wanted.includes(b));
  return current === chosen;
}
