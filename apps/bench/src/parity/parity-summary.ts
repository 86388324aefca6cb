// The parity table: per (target, d, method), the mean and spread over seeds of each metric for
// pfm and for the PyTorch twin, and a verdict on the headline metrics (lower is better for all):
//   better — pfm's mean at or below the twin's best seed;
//   within — pfm's mean at or below the twin's worst seed (inside the twin's seed spread);
//   worse  — above the twin's worst seed.
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

const ORDER: Record<Verdict, number> = { better: 0, within: 1, worse: 2 };

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
    for (const key of headlineMetrics(dim)) {
      const a = pfm[key];
      const b = torch[key];
      if (a && b) verdicts[key] = verdict(a, b);
    }
    const all = Object.values(verdicts);
    const overall = all.length === 0 ? null : all.reduce((w, v) => (ORDER[v] > ORDER[w] ? v : w), 'better' as Verdict);
    return { target, dim, method, pfm, torch, verdicts, overall };
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
    'Mean ± std over seeds. W2: exact, n model samples against n held-out points; sliced W2: 100 fixed directions; energy: unbiased energy distance; NLL: nats per point on the held-out points. Verdict (lower is better): better = pfm mean ≤ the twin\'s best seed, within = ≤ its worst seed, worse = above it; on W2 (d ≤ 4) or sliced W2 (d > 4), energy and NLL.',
    '',
    '| target | d | method | W2 pfm | W2 torch | sliced W2 pfm | sliced W2 torch | energy pfm | energy torch | NLL pfm | NLL torch | train s pfm / torch | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const v = Object.entries(r.verdicts)
      .map(([k, x]) => `${k}: ${x}`)
      .join(', ');
    lines.push(
      `| ${r.target} | ${r.dim} | ${r.method} | ${cell(r.pfm.w2, 3)} | ${cell(r.torch.w2, 3)} | ${cell(r.pfm.slicedW2, 3)} | ${cell(r.torch.slicedW2, 3)} | ` +
        `${cell(r.pfm.energy, 4)} | ${cell(r.torch.energy, 4)} | ${cell(r.pfm.nll, 3)} | ${cell(r.torch.nll, 3)} | ` +
        `${r.pfm.trainSeconds ? r.pfm.trainSeconds.mean.toFixed(0) : '—'} / ${r.torch.trainSeconds ? r.torch.trainSeconds.mean.toFixed(0) : '—'} | ` +
        `${r.overall ? `**${r.overall}**${v ? ` (${v})` : ''}` : 'no twin'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
