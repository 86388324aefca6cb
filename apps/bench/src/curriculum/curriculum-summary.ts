// The curriculum report: per target and method, the mean ± sample std over seeds of modes covered,
// modes reached (the coarse count, see mode-coverage), the high-quality fraction and the energy
// distance to held-out points (on MNIST: digits covered, the fraction classified confidently and
// FLD, see mnist-target), the failure rate (a run that diverged or reached fewer than half the
// modes: at short budgets no method covers a mode within 3σ, so the coarse count decides; on MNIST
// a run that covers at most 2 digits), and for each objective whether the curriculum
// changes a metric beyond seed noise: the difference of the two means against twice its standard
// error √(s₁²/n₁ + s₂²/n₂) (Welch), "better", "worse" or "≈" (within noise). The curriculum is
// compared with the plain run at equal steps, with the plain run at equal CPU time (when measured),
// and its short schedule with the plain run at equal steps.

/** What one run measured (null where the target has no modes). */
export interface CurriculumMetrics {
  /** Modes covered (3σ); on MNIST, digits covered. */
  covered: number | null;
  /** Modes reached (coarse coverage), see mode-coverage. */
  reached: number | null;
  modes: number | null;
  /** Fraction of samples within 3σ of a mode (on a black square); on MNIST, classified with probability ≥ 0.9. */
  highQuality: number | null;
  /** Energy distance to the held-out points (null on MNIST, measured by FLD). */
  energy: number | null;
  /** MNIST: FLD of the samples against the test digits. */
  fld?: number;
  /** MNIST: samples the classifier assigns to each digit 0…9. */
  digits?: number[];
  nonFinite: number;
  /** Wall seconds of training. */
  trainSeconds: number;
  /** Training steps done (absent in reports written before the time budget). */
  steps?: number;
  /** CPU seconds of training (user + system of the process; absent in older reports). */
  cpuSeconds?: number;
}

/**
 * How a run was trained: `plain` (the objective, the suite's steps), `plain-time` (the objective, as
 * many steps as fit in the CPU time of the `curriculum` run), `curriculum` (the even schedule),
 * `curriculum-short` (the short schedule), or a `reference` line.
 */
export type CurriculumVariant = 'plain' | 'plain-time' | 'curriculum' | 'curriculum-short' | 'reference';

/** One run of the suite. */
export interface CurriculumRecord {
  target: string;
  /** gan, wgan-gp, wgan-gp-one-sided, energy, mmd, or a reference (flow-100, distill). */
  method: string;
  variant: CurriculumVariant;
  seed: number;
  status: 'ok' | 'failed';
  error?: string;
  metrics?: CurriculumMetrics;
}

/** An MNIST run covering at most this many digits has collapsed (a failure). */
export const MNIST_COLLAPSE_DIGITS = 2;

/** Mean and sample standard deviation of a non-empty list. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}

/**
 * A run that failed: diverged or errored, non-finite samples, fewer than half the modes reached, or
 * on MNIST a collapse to at most MNIST_COLLAPSE_DIGITS digits.
 */
export function isFailure(r: CurriculumRecord): boolean {
  if (r.status !== 'ok' || !r.metrics) return true;
  const m = r.metrics;
  if (m.nonFinite > 0 || (m.energy !== null && !Number.isFinite(m.energy)) || (m.fld !== undefined && !Number.isFinite(m.fld))) return true;
  if (r.target === 'mnist') return m.covered !== null && m.covered <= MNIST_COLLAPSE_DIGITS;
  return m.reached !== null && m.modes !== null && m.reached < m.modes / 2;
}

/** One row of the table: a (target, method, variant) over its seeds. */
export interface CurriculumRow {
  target: string;
  method: string;
  variant: CurriculumRecord['variant'];
  runs: number;
  failures: number;
  covered: MeanStd | null;
  reached: MeanStd | null;
  modes: number | null;
  highQuality: MeanStd | null;
  energy: MeanStd | null;
  fld: MeanStd | null;
  seconds: MeanStd | null;
  steps: MeanStd | null;
  cpuSeconds: MeanStd | null;
}

export function curriculumRows(records: readonly CurriculumRecord[]): CurriculumRow[] {
  const groups = new Map<string, CurriculumRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.target, r.method, r.variant]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const ok = rs.filter((r) => r.status === 'ok' && r.metrics).map((r) => r.metrics!);
    const pick = (f: (m: CurriculumMetrics) => number | null) => meanStd(ok.map(f).filter((x): x is number => x !== null));
    return {
      target: rs[0]!.target,
      method: rs[0]!.method,
      variant: rs[0]!.variant,
      runs: rs.length,
      failures: rs.filter(isFailure).length,
      covered: pick((m) => m.covered),
      reached: pick((m) => m.reached),
      modes: ok[0]?.modes ?? null,
      highQuality: pick((m) => m.highQuality),
      energy: pick((m) => m.energy),
      fld: pick((m) => m.fld ?? null),
      seconds: pick((m) => m.trainSeconds),
      steps: pick((m) => m.steps ?? null),
      cpuSeconds: pick((m) => m.cpuSeconds ?? null),
    };
  });
}

export type Change = 'better' | 'worse' | '≈';

/** Whether `b` (curriculum) differs from `a` (plain) beyond seed noise; `higherIsBetter` orients it. */
export function change(a: MeanStd | null, b: MeanStd | null, higherIsBetter: boolean): Change | null {
  if (!a || !b) return null;
  const se = Math.sqrt(a.std ** 2 / a.n + b.std ** 2 / b.n);
  const diff = b.mean - a.mean;
  if (Math.abs(diff) <= 2 * se) return '≈';
  return diff > 0 === higherIsBetter ? 'better' : 'worse';
}

/** The pairs the report compares: a curriculum variant against a plain one, and how they are matched. */
const COMPARISONS: ReadonlyArray<{ plain: CurriculumVariant; curriculum: CurriculumVariant; label: string }> = [
  { plain: 'plain', curriculum: 'curriculum', label: 'equal steps' },
  { plain: 'plain-time', curriculum: 'curriculum', label: 'equal CPU time' },
  { plain: 'plain', curriculum: 'curriculum-short', label: 'short schedule, equal steps' },
];

const fmt = (m: MeanStd | null, digits: number) => (m ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : '–');

/** The markdown report: one table per target, then the curriculum's effect per objective. */
export function curriculumMarkdown(records: readonly CurriculumRecord[], header: string): string {
  const rows = curriculumRows(records);
  const lines = [header, ''];
  for (const target of [...new Set(rows.map((r) => r.target))]) {
    const digits = target === 'mnist';
    lines.push(`## ${target}`, '');
    if (target === 'checkerboard') lines.push('Modes are the 8 black squares; "high quality" is the fraction of samples on a black square, "covered" counts squares holding n/32 of them.', '');
    if (digits) {
      lines.push(
        `Measured by pfm's LeNet MNIST classifier on the samples clipped to [0, 1]: "digits covered" counts the digits it assigns at least 2 % of the samples, "confident" is the fraction it classifies with probability ≥ 0.9, FLD is against the 1,000 test digits; a run fails when it covers at most ${MNIST_COLLAPSE_DIGITS} digits or diverges.`,
        '',
      );
      lines.push('| method | variant | runs | failures | digits covered | confident | FLD | steps | CPU s | train s |');
      lines.push('|---|---|---|---|---|---|---|---|---|---|');
    } else {
      lines.push('| method | variant | runs | failures | modes covered (3σ) | modes reached | high quality | energy distance | steps | CPU s | train s |');
      lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
    }
    for (const r of rows.filter((x) => x.target === target)) {
      const covered = r.covered ? `${fmt(r.covered, 1)} / ${r.modes}` : '–';
      const reached = r.reached ? `${fmt(r.reached, 1)} / ${r.modes}` : '–';
      const quality = digits ? `${fmt(r.highQuality, 3)} | ${fmt(r.fld, 2)}` : `${reached} | ${fmt(r.highQuality, 3)} | ${fmt(r.energy, 4)}`;
      lines.push(`| ${r.method} | ${r.variant} | ${r.runs} | ${r.failures}/${r.runs} | ${covered} | ${quality} | ${fmt(r.steps, 0)} | ${fmt(r.cpuSeconds, 1)} | ${fmt(r.seconds, 1)} |`);
    }
    lines.push('');
    const pairs = COMPARISONS.flatMap((c) =>
      rows
        .filter((x) => x.target === target && x.variant === c.plain)
        .map((plain) => ({ c, plain, cur: rows.find((x) => x.target === target && x.method === plain.method && x.variant === c.curriculum) }))
        .filter((p): p is typeof p & { cur: CurriculumRow } => p.cur !== undefined),
    );
    if (pairs.length > 0) {
      lines.push('Curriculum vs plain (beyond 2 standard errors of the difference of means):', '');
      lines.push(digits ? '| method | compared at | digits covered | confident | FLD | failures plain → curriculum |' : '| method | compared at | modes covered (3σ) | modes reached | high quality | energy distance | failures plain → curriculum |');
      lines.push(digits ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|---|---|');
      for (const { c, plain, cur } of pairs) {
        const changes = digits
          ? [change(plain.covered, cur.covered, true), change(plain.highQuality, cur.highQuality, true), change(plain.fld, cur.fld, false)]
          : [change(plain.covered, cur.covered, true), change(plain.reached, cur.reached, true), change(plain.highQuality, cur.highQuality, true), change(plain.energy, cur.energy, false)];
        lines.push(`| ${plain.method} | ${c.label} | ${changes.map((x) => x ?? '–').join(' | ')} | ${plain.failures}/${plain.runs} → ${cur.failures}/${cur.runs} |`);
      }
      lines.push('');
    }
  }
  const failed = records.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    lines.push('## Runs that failed', '');
    for (const r of failed) lines.push(`- ${r.target} ${r.method} ${r.variant} seed ${r.seed}: ${r.error ?? 'failed'}`);
    lines.push('');
  }
  return lines.join('\n');
}
