// The parity table: per (target, d, method), the mean and spread over seeds of each metric for
// pfm and for the PyTorch twin, and a verdict on the headline metrics (lower is better for all):
//   better — pfm's mean at or below the twin's best seed;
//   within — pfm's mean at or below the twin's worst seed (inside the twin's seed spread);
//   worse  — above the twin's worst seed.
// Beside it, a verdict that chance seldom reads as worse: the difference of the means against two
// standard errors of that difference, se = √(s_pfm²/n_pfm + s_torch²/n_torch) (Welch's statistic
// against 2): worse when m_pfm − m_torch > 2·se, better when < −2·se, else "≈" (within noise).
// With 3 seeds a side and no real difference, the first rule reads worse ≈ 19% of the time per
// metric, this one ≈ 6% (simulated in parity-summary.test.ts).
// The headline metrics are exact W2 for d ≤ 4 and sliced W2 beyond (exact W2 between samples
// grows with d even between two samples of one law), energy distance, and test NLL where both have it.

/** The metrics of one run (null where not defined for the method). */
export interface ParityMetrics {
  w2: number;
  slicedW2: number;
  energy: number;
  nll: number | null;
  trainSeconds: number;
}

/** One run of the suite. */
export interface ParityRecord {
  target: string;
  dim: number;
  method: string;
  seed: number;
  /** The seed of the training and held-out set when one set served every seed (--data-seed). */
  dataSeed?: number;
  /** Both sides sampled from pfm's noise draw of the run (--common-noise). */
  commonNoise?: true;
  impl: 'pfm' | 'torch';
  status: 'ok' | 'failed';
  error?: string;
  metrics?: ParityMetrics;
}

export type Verdict = 'better' | 'within' | 'worse';

/** Mean, sample std, min and max of a non-empty list. */
export interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n };
}

/** The verdict of pfm's seeds against the twin's (lower is better). */
export function verdict(pfm: Spread, torch: Spread): Verdict {
  if (pfm.mean <= torch.min) return 'better';
  if (pfm.mean <= torch.max) return 'within';
  return 'worse';
}

/** The two-standard-error verdict: `≈` when the means differ by at most 2 se. */
export type NoiseVerdict = 'better' | '≈' | 'worse';

/**
 * pfm against the twin by the difference of means and its standard error (lower is better):
 * worse when m_pfm − m_torch > 2·√(s_pfm²/n_pfm + s_torch²/n_torch), better below −2·se, else ≈.
 * Null with fewer than two seeds on a side (no spread to judge by). As docs/curriculum.md.
 */
export function noiseVerdict(pfm: Spread, torch: Spread): NoiseVerdict | null {
  if (pfm.n < 2 || torch.n < 2) return null;
  const diff = pfm.mean - torch.mean;
  const se = Math.sqrt(pfm.std ** 2 / pfm.n + torch.std ** 2 / torch.n);
  if (diff > 2 * se) return 'worse';
  if (diff < -2 * se) return 'better';
  return '≈';
}

const ORDER: Record<Verdict, number> = { better: 0, within: 1, worse: 2 };
const NOISE_ORDER: Record<NoiseVerdict, number> = { better: 0, '≈': 1, worse: 2 };

/** The metric names of the verdict in dimension `dim`. */
export function headlineMetrics(dim: number): ('w2' | 'slicedW2' | 'energy' | 'nll')[] {
  return [dim <= 4 ? 'w2' : 'slicedW2', 'energy', 'nll'];
}

export interface ParityRow {
  target: string;
  dim: number;
  method: string;
  pfm: Partial<Record<keyof ParityMetrics, Spread>>;
  torch: Partial<Record<keyof ParityMetrics, Spread>>;
  /** Per headline metric present on both sides. */
  verdicts: Partial<Record<keyof ParityMetrics, Verdict>>;
  /** The worst of `verdicts`; null without twin runs. */
  overall: Verdict | null;
  /** Per headline metric present on both sides with ≥ 2 seeds each: the two-standard-error verdict. */
  noiseVerdicts: Partial<Record<keyof ParityMetrics, NoiseVerdict>>;
  /** The worst of `noiseVerdicts`; null when there is none. */
  noiseOverall: NoiseVerdict | null;
}

function metricSpreads(records: readonly ParityRecord[]): Partial<Record<keyof ParityMetrics, Spread>> {
  const out: Partial<Record<keyof ParityMetrics, Spread>> = {};
  for (const key of ['w2', 'slicedW2', 'energy', 'nll', 'trainSeconds'] as const) {
    const values = records.flatMap((r) => {
      const v = r.metrics?.[key];
      return typeof v === 'number' && Number.isFinite(v) ? [v] : [];
    });
    const s = spread(values);
    if (s) out[key] = s;
  }
  return out;
}

/** Groups the successful records into rows (target, d, method), in first-seen order. */
export function parityRows(records: readonly ParityRecord[]): ParityRow[] {
  const groups = new Map<string, ParityRecord[]>();
  for (const r of records) {
    if (r.status !== 'ok') continue;
    const key = JSON.stringify([r.target, r.dim, r.method]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const { target, dim, method } = group[0]!;
    const pfm = metricSpreads(group.filter((r) => r.impl === 'pfm'));
    const torch = metricSpreads(group.filter((r) => r.impl === 'torch'));
    const verdicts: ParityRow['verdicts'] = {};
    const noiseVerdicts: ParityRow['noiseVerdicts'] = {};
    for (const key of headlineMetrics(dim)) {
      const a = pfm[key];
      const b = torch[key];
      if (a && b) {
        verdicts[key] = verdict(a, b);
        const v = noiseVerdict(a, b);
        if (v) noiseVerdicts[key] = v;
      }
    }
    const all = Object.values(verdicts);
    const overall = all.length === 0 ? null : all.reduce((w, v) => (ORDER[v] > ORDER[w] ? v : w), 'better' as Verdict);
    const noise = Object.values(noiseVerdicts);
    const noiseOverall = noise.length === 0 ? null : noise.reduce((w, v) => (NOISE_ORDER[v] > NOISE_ORDER[w] ? v : w), 'better' as NoiseVerdict);
    return { target, dim, method, pfm, torch, verdicts, overall, noiseVerdicts, noiseOverall };
  });
}

function cell(s: Spread | undefined, digits: number): string {
  if (!s) return '—';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** The markdown table of `rows` (mean ± std over seeds; the verdict per headline metric). */
export function parityMarkdown(rows: readonly ParityRow[], notes: readonly string[] = []): string {
  const lines = [
    '# pfm against its PyTorch twin (parity suite)',
    '',
    ...notes.map((n) => `- ${n}`),
    ...(notes.length ? [''] : []),
    'Mean ± std over seeds. W2: exact, n model samples against n held-out points; sliced W2: 100 fixed directions; energy: unbiased energy distance; NLL: nats per point on the held-out points. Verdict (lower is better): better = pfm mean ≤ the twin\'s best seed, within = ≤ its worst seed, worse = above it; on W2 (d ≤ 4) or sliced W2 (d > 4), energy and NLL. With 3 seeds a side this rule reads a difference that is not there as worse ≈ 19% of the time per metric. Beyond 2 s.e.: worse / better when the means differ by more than two standard errors of their difference, √(s²_pfm/n + s²_torch/n), else ≈ (chance reads worse ≈ 6% of the time per metric with 3 seeds).',
    '',
    '| target | d | method | W2 pfm | W2 torch | sliced W2 pfm | sliced W2 torch | energy pfm | energy torch | NLL pfm | NLL torch | train s pfm / torch | verdict | beyond 2 s.e. |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const v = Object.entries(r.verdicts)
      .map(([k, x]) => `${k}: ${x}`)
      .join(', ');
    const nv = Object.entries(r.noiseVerdicts)
      .map(([k, x]) => `${k}: ${x}`)
      .join(', ');
    lines.push(
      `| ${r.target} | ${r.dim} | ${r.method} | ${cell(r.pfm.w2, 3)} | ${cell(r.torch.w2, 3)} | ${cell(r.pfm.slicedW2, 3)} | ${cell(r.torch.slicedW2, 3)} | ` +
        `${cell(r.pfm.energy, 4)} | ${cell(r.torch.energy, 4)} | ${cell(r.pfm.nll, 3)} | ${cell(r.torch.nll, 3)} | ` +
        `${r.pfm.trainSeconds ? r.pfm.trainSeconds.mean.toFixed(0) : '—'} / ${r.torch.trainSeconds ? r.torch.trainSeconds.mean.toFixed(0) : '—'} | ` +
        `${r.overall ? `**${r.overall}**${v ? ` (${v})` : ''}` : 'no twin'} | ` +
        `${r.noiseOverall ? `**${r.noiseOverall}** (${nv})` : '—'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
