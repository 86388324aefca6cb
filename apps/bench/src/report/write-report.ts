// results.md (tables: mean ± std over seeds, published references with the ratio, failures) and
// the SVG plots: sample clouds (config × data set), W2 against NFE, loss curves.
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataset } from '@pfm/datasets';
import type { BenchDataset } from '../matrix/bench-datasets.js';
import type { SkippedPair } from '../matrix/run-matrix.js';
import type { RunRecord } from '../results/results-schema.js';
import { gridSvg, logLogSvg, type Panel, type XYSeries } from './plots.js';
import { referenceFor, type References } from './references.js';
import { formatMeanStd, meanStd } from './summary.js';

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const MB = 1024 * 1024;

/**
 * Writes results.md, samples.svg, loss-curves.svg and nfe-<dataset>.svg for `records` into `outDir`;
 * `skipped` pairs (a method that declares the data unsupported) get a row saying so, not a failure.
 */
export function writeReport(outDir: string, records: readonly RunRecord[], datasets: readonly BenchDataset[], refs: References, skipped: readonly SkippedPair[] = []): string {
  const names = [...new Set([...records.map((r) => r.name), ...skipped.map((p) => p.name)])];
  const used = datasets.filter((d) => records.some((r) => r.dataset === d.name) || skipped.some((p) => p.dataset === d.name));
  const ok = records.filter((r) => r.status === 'ok');
  const first = records[0];
  const lines: string[] = ['# pfm bench results', ''];
  if (first) {
    lines.push(
      `Backend **${first.backend}**, ${first.machine.cpuModel} × ${first.machine.cpuCount}, ${first.machine.os}, node ${first.versions.node}, tfjs-core ${first.versions['@tensorflow/tfjs-core']}.`,
      `${records.length} runs (${ok.length} ok, ${records.length - ok.length} failed${skipped.length ? `; ${skipped.length} config × data set pair${skipped.length === 1 ? '' : 's'} skipped as unsupported by the method` : ''}); ${first.settings.quick ? '**--quick** (CI size: not comparable with published numbers)' : 'full size'}; evaluation samples ${[...new Set(records.map((r) => r.settings.samples))].join(', ')} vs the same number of held-out points; mean ± std over seeds.`,
      '',
    );
  }
  for (const d of used) {
    lines.push(`## ${d.name}`, '');
    // One floor per seed (every config of a seed trains and tests on the same two samples).
    const bySeed = new Map(ok.filter((r) => r.dataset === d.name && r.metrics!.dataFloor).map((r) => [r.seed, r.metrics!.dataFloor!]));
    if (bySeed.size > 0) {
      const f = [...bySeed.values()];
      lines.push(
        `Data floor (W2 between the training set and the held-out points, two samples of the data): ${formatMeanStd(f.map((x) => x.w2))} at n against n, ${formatMeanStd(f.map((x) => x.w2At1000?.mean))} at 1,000 against 1,000.`,
        '',
      );
    }
    lines.push('| config | method | seeds | W2 | W2 1k vs 1k | energy | MMD² | sliced W2 | NLL | NFE | params | train s | steps/s | sample s / 10k | peak RSS MB | peak tf MB | published W2, 1k vs 1k (ratio) |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const name of names) {
      const rs = ok.filter((r) => r.name === name && r.dataset === d.name);
      const failed = records.filter((r) => r.name === name && r.dataset === d.name && r.status === 'failed');
      const skip = skipped.find((p) => p.name === name && p.dataset === d.name);
      if (skip !== undefined && rs.length === 0 && failed.length === 0) {
        lines.push(`| ${name} | ${skip.method} | skipped: ${skip.reason.replace(/\|/g, '\\|')} |${' |'.repeat(14)}`);
        continue;
      }
      if (rs.length === 0 && failed.length === 0) continue;
      const m = (k: keyof NonNullable<RunRecord['metrics']>) => rs.map((r) => r.metrics![k] as number | null);
      const ref = referenceFor(refs, name, d.name);
      // The published values are 1,000 against 1,000 (torchcfm's test split): compare like with like.
      const w2Small = rs.map((r) => r.metrics!.w2At1000?.mean);
      const small = meanStd(w2Small);
      const refCell = ref ? `${ref.label} ${ref.value}${small ? ` (×${(small.mean / ref.value).toFixed(2)})` : ''}` : '';
      lines.push(
        `| ${name} | ${rs[0]?.method ?? failed[0]!.method} | ${rs.length}${failed.length ? ` (+${failed.length} failed)` : ''} | ${formatMeanStd(m('w2'))} | ${formatMeanStd(w2Small)} | ${formatMeanStd(m('energy'))} | ${formatMeanStd(m('mmd'))} | ${formatMeanStd(m('slicedW'))} | ${formatMeanStd(m('nll'))} | ${formatMeanStd(m('nfe'))} | ${formatMeanStd(m('paramCount'), 4)} | ${formatMeanStd(m('trainSeconds'))} | ${formatMeanStd(m('stepsPerSecond'))} | ${formatMeanStd(m('sampleSecondsPer10k'))} | ${formatMeanStd(rs.map((r) => r.metrics!.peakRssBytes / MB))} | ${formatMeanStd(rs.map((r) => r.metrics!.peakTfBytes / MB))} | ${refCell} |`,
      );
    }
    lines.push('');
    const sweeps = ok.filter((r) => r.dataset === d.name && r.nfeSweep);
    if (sweeps.length > 0) {
      const grid = [...new Set(sweeps.flatMap((r) => r.nfeSweep!.map((p) => p.steps)))].sort((a, b) => a - b);
      lines.push(`W2 against Euler steps (flow models; NFE = steps × evaluations per step), and one-step models:`, '');
      lines.push(`| config | ${grid.map((s) => `${s} step${s > 1 ? 's' : ''}`).join(' | ')} |`, `|---|${grid.map(() => '---').join('|')}|`);
      for (const name of names) {
        const rs = sweeps.filter((r) => r.name === name);
        if (rs.length === 0) continue;
        lines.push(`| ${name} | ${grid.map((s) => formatMeanStd(rs.map((r) => r.nfeSweep!.find((p) => p.steps === s)?.w2))).join(' | ')} |`);
      }
      const oneStep = ok.filter((r) => r.dataset === d.name && !r.nfeSweep && r.metrics!.nfe <= 1);
      for (const name of [...new Set(oneStep.map((r) => r.name))]) {
        lines.push(`| ${name} (one step) | ${formatMeanStd(oneStep.filter((r) => r.name === name).map((r) => r.metrics!.w2))} |${grid.slice(1).map(() => '').join(' |')} |`);
      }
      lines.push('');
    }
  }
  const failures = records.filter((r) => r.status === 'failed');
  if (failures.length > 0) {
    lines.push('## Failed runs', '', '| config | data set | seed | error |', '|---|---|---|---|');
    for (const r of failures) lines.push(`| ${r.name} | ${r.dataset} | ${r.seed} | ${r.error!.split('\n')[0]!.replace(/\|/g, '\\|').slice(0, 300)} |`);
    lines.push('');
  }
  lines.push(`Published numbers: ${refs.source}. Setup: ${refs.setup}.`, '');
  lines.push('Plots: samples.svg (clouds), loss-curves.svg, nfe-<data set>.svg (W2 against NFE).', '');
  atomicWrite(join(outDir, 'results.md'), lines.join('\n'));

  // Sample clouds: a data row, then one row per config (first ok seed).
  const frames = used.map((d) => {
    const t = sampleDataset(d.dataset, 400, 12345, d.options);
    const values = Array.from(t.values);
    const xs = values.filter((_v, i) => i % t.cols === 0);
    const ys = t.cols > 1 ? values.filter((_v, i) => i % t.cols === 1) : [-1, 1];
    const pad = (lo: number, hi: number): [number, number] => [lo - 0.15 * (hi - lo), hi + 0.15 * (hi - lo)];
    const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
    const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
    return { values, dim: t.cols, frame: [x0, x1, y0, y1] as [number, number, number, number] };
  });
  const cloud = (name: string, d: BenchDataset): Panel => {
    const r = ok.find((x) => x.name === name && x.dataset === d.name && x.preview);
    if (r) return { kind: 'points', values: r.preview!, dim: r.dim ?? d.dim };
    if (skipped.some((p) => p.name === name && p.dataset === d.name)) return { kind: 'empty', note: 'skipped' };
    return { kind: 'empty', note: records.some((x) => x.name === name && x.dataset === d.name) ? 'failed' : '' };
  };
  atomicWrite(
    join(outDir, 'samples.svg'),
    gridSvg('Samples (400 points, first seed)', ['data', ...names], used.map((d) => d.name), (i, j) =>
      i === 0 ? { kind: 'points', values: frames[j]!.values, dim: frames[j]!.dim } : cloud(names[i - 1]!, used[j]!), { frames: frames.map((f) => f.frame) }),
  );
  atomicWrite(
    join(outDir, 'loss-curves.svg'),
    gridSvg('Training loss (primary player, first seed)', names, used.map((d) => d.name), (i, j) => {
      const r = ok.find((x) => x.name === names[i] && x.dataset === used[j]!.name && x.lossCurve);
      return r ? { kind: 'curve', values: r.lossCurve! } : { kind: 'empty', note: '' };
    }),
  );
  for (const d of used) {
    const series: XYSeries[] = [];
    for (const name of names) {
      const rs = ok.filter((r) => r.name === name && r.dataset === d.name);
      if (rs.length === 0) continue;
      if (rs[0]!.nfeSweep) {
        const steps = rs[0]!.nfeSweep.map((p) => p.steps);
        series.push({
          label: `${name} (euler)`,
          points: steps.map((s) => ({ x: rs[0]!.nfeSweep!.find((p) => p.steps === s)!.nfe, y: meanStd(rs.map((r) => r.nfeSweep?.find((p) => p.steps === s)?.w2))?.mean ?? NaN })),
        });
      } else {
        series.push({ label: name, points: [{ x: Math.max(rs[0]!.metrics!.nfe, 1), y: meanStd(rs.map((r) => r.metrics!.w2))!.mean }] });
      }
    }
    atomicWrite(join(outDir, `nfe-${d.name}.svg`), logLogSvg(`${d.name}: W2 against NFE`, 'NFE per sample', 'W2', series));
  }
  return lines.join('\n');
}
