// The MNIST track's records and its report: per method, one table of metrics with a pfm column
// and, when the PyTorch twin ran, a torch column (mean ± std over seeds), then FLD against the
// number of function evaluations and against training time.
import { spread, type Spread } from '../parity/parity-summary.js';

/** FLD at one point of a sweep: `nfe` evaluations per sample (Euler `steps` of a flow). */
export interface FldAtNfe {
  nfe: number;
  fld: number;
}

/** FLD at one point of training. */
export interface FldAtTime {
  step: number;
  /** Training seconds so far (evaluation time not counted). */
  seconds: number;
  fld: number;
}

/** The metrics of one run; null where the method has none. */
export interface MnistMetrics {
  /** FLD of `samples` clipped model samples against the 1,000 test digits. */
  fld: number;
  /** KID (mean over subsets) and its standard deviation over the subsets. */
  kid: number;
  kidStd: number;
  /** Bits per dimension of the dequantised test digits (realnvp, nsf, vae). */
  bitsPerDim: number | null;
  /** Function evaluations per sample of the default sampler. */
  nfe: number;
  /** Milliseconds per image of drawing the FLD samples. */
  sampleMsPerImage: number;
  steps: number;
  stepsPerSecond: number;
  /** Training seconds (evaluations at checkpoints not counted). */
  trainSeconds: number;
  /** Seconds of the whole run: training, checkpoints and the final measurements. */
  wallSeconds: number;
  /** What ended training: the step budget or the minute budget. */
  stoppedBy: 'steps' | 'minutes';
  /** Flow matching: FLD with k Euler steps (nfe = k); empty for the others. */
  fldByNfe: FldAtNfe[];
  /** FLD at the checkpoints and at the end (on the checkpoint sample size). */
  fldByTime: FldAtTime[];
}

/** One run of the suite. */
export interface MnistRecord {
  method: string;
  seed: number;
  impl: 'pfm' | 'torch';
  status: 'ok' | 'failed';
  error?: string;
  metrics?: MnistMetrics;
}

const SCALARS = [
  ['fld', 'FLD (test, lower is better)', 2],
  ['kid', 'KID', -3],
  ['bitsPerDim', 'bits/dim (test)', 3],
  ['nfe', 'NFE per sample', 0],
  ['sampleMsPerImage', 'sampling ms / image', 3],
  ['steps', 'training steps', 0],
  ['stepsPerSecond', 'steps / s', 2],
  ['trainSeconds', 'training s', 0],
  ['wallSeconds', 'wall s', 0],
] as const;

type ScalarKey = (typeof SCALARS)[number][0];

function scalar(m: MnistMetrics, key: ScalarKey): number | null {
  const v = m[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `digits` ≥ 0: decimals; < 0: −digits significant digits (KID spans orders of magnitude). */
function format(v: number, digits: number): string {
  return digits >= 0 ? v.toFixed(digits) : v.toPrecision(-digits);
}

function cell(s: Spread | null, digits: number): string {
  if (!s) return '—';
  return s.n > 1 ? `${format(s.mean, digits)} ± ${format(s.std, digits)}` : format(s.mean, digits);
}

function values(records: readonly MnistRecord[], pick: (m: MnistMetrics) => number | null): number[] {
  return records.flatMap((r) => {
    const v = r.metrics ? pick(r.metrics) : null;
    return v === null ? [] : [v];
  });
}

/** `x → FLD` pairs of every record, averaged over seeds per x, in increasing x. */
export function meanCurve<T>(records: readonly MnistRecord[], points: (m: MnistMetrics) => readonly T[], x: (p: T) => number, fld: (p: T) => number): { x: number; fld: number; n: number }[] {
  const byX = new Map<number, number[]>();
  for (const r of records) {
    if (!r.metrics) continue;
    for (const p of points(r.metrics)) byX.set(x(p), [...(byX.get(x(p)) ?? []), fld(p)]);
  }
  return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => ({ x: k, fld: v.reduce((a, b) => a + b, 0) / v.length, n: v.length }));
}

function curveLine(label: string, curve: { x: number; fld: number }[], unit: (x: number) => string): string {
  return `${label}: ${curve.map((p) => `${unit(p.x)} → ${p.fld.toFixed(2)}`).join(', ')}`;
}

/** The markdown report: a section per method in the order first seen, failures listed with their error. */
export function mnistMarkdown(records: readonly MnistRecord[], notes: readonly string[] = []): string {
  const lines = ['# MNIST track', '', ...notes.map((n) => `- ${n}`), ...(notes.length ? [''] : [])];
  lines.push(
    'FLD: Fréchet distance between the 84-d LeNet features of model samples (clipped to [0, 1]) and of the 1,000 test digits; KID: the unbiased polynomial-kernel MMD² on the same features (mean over subsets). Both compare only with other pfm values. Mean ± std over seeds.',
    '',
  );
  const methods = [...new Set(records.map((r) => r.method))];
  for (const method of methods) {
    const mine = records.filter((r) => r.method === method);
    const ok = mine.filter((r) => r.status === 'ok');
    const pfm = ok.filter((r) => r.impl === 'pfm');
    const torch = ok.filter((r) => r.impl === 'torch');
    lines.push(`## ${method}`, '');
    const twin = torch.length > 0;
    lines.push(twin ? '| metric | pfm | torch |' : '| metric | pfm |', twin ? '|---|---|---|' : '|---|---|');
    for (const [key, label, digits] of SCALARS) {
      const a = cell(spread(values(pfm, (m) => scalar(m, key))), digits);
      lines.push(twin ? `| ${label} | ${a} | ${cell(spread(values(torch, (m) => scalar(m, key))), digits)} |` : `| ${label} | ${a} |`);
    }
    const stops = [...new Set(pfm.map((r) => r.metrics!.stoppedBy))];
    if (stops.length) lines.push('', `Training ended on the ${stops.join(' / ')} budget.`);
    for (const [impl, group] of [['pfm', pfm], ['torch', torch]] as const) {
      const byNfe = meanCurve(group, (m) => m.fldByNfe, (p) => p.nfe, (p) => p.fld);
      if (byNfe.length) lines.push('', curveLine(`FLD against NFE (Euler), ${impl}`, byNfe.map((p) => ({ x: p.x, fld: p.fld })), (x) => `${x}`));
      const byTime = group.flatMap((r) => (r.metrics ? [r.metrics.fldByTime] : []));
      for (const [i, curve] of byTime.entries()) {
        if (curve.length) {
          lines.push('', curveLine(`FLD against training time, ${impl} seed ${group[i]!.seed}`, curve.map((p) => ({ x: p.seconds, fld: p.fld })), (x) => `${x.toFixed(0)} s`) + ` (steps ${curve.map((p) => p.step).join(', ')})`);
        }
      }
    }
    for (const r of mine.filter((x) => x.status === 'failed')) lines.push('', `Failed (${r.impl}, seed ${r.seed}): ${r.error ?? 'unknown error'}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
