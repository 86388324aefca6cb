// Mean ± standard deviation over seeds (sample standard deviation, n − 1).

/** Mean and sample standard deviation of the finite values (std 0 for one value); null if none. */
export function meanStd(values: readonly (number | null | undefined)[]): { mean: number; std: number; n: number } | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, n: xs.length };
}

/** `0.123 ± 0.004` (3 significant digits), `0.123` for one seed, `–` for none. */
export function formatMeanStd(values: readonly (number | null | undefined)[], digits = 3): string {
  const s = meanStd(values);
  if (!s) return '–';
  const integers = values.every((v) => v === null || v === undefined || Number.isInteger(v));
  const f = (v: number) => (integers && Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(digits - 1) : v.toPrecision(digits));
  return s.n > 1 ? `${f(s.mean)} ± ${f(s.std)}` : f(s.mean);
}
