// The soak's report as Markdown: one row per run (in-process, CLI) and the verdict's reasons.
import type { SoakRun } from './run-soak.js';

const MiB = 1024 * 1024;

/** A Markdown table of `runs` (RSS slope over the last 90% of the steps, numTensors range, verdict). */
export function soakMarkdown(runs: readonly SoakRun[], command: string): string {
  const lines = [
    '# Soak',
    '',
    `\`${command}\``,
    '',
    '| path | steps | steps/s | numTensors | RSS first → last (MiB) | RSS slope (bytes/step) | fitted growth (MiB) | wasm heap growth (MiB) | checkpoints | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of runs) {
    const first = run.samples[0]!;
    const last = run.samples[run.samples.length - 1]!;
    const range = run.verdict.numTensorsRange;
    lines.push(
      `| ${run.path} | ${run.steps} | ${run.stepsPerSecond.toFixed(1)} | ${range ? (range[0] === range[1] ? `${range[0]}` : `${range[0]}–${range[1]}`) : '-'} | ${(first.rss / MiB).toFixed(1)} → ${(last.rss / MiB).toFixed(1)} | ${run.verdict.rssSlopeBytesPerStep.toFixed(2)} | ${run.verdict.rssFittedGrowthMiB.toFixed(2)} | ${run.verdict.wasmHeapGrowthMiB === null ? '-' : run.verdict.wasmHeapGrowthMiB.toFixed(1)} | ${run.checkpoints} | ${run.verdict.ok ? 'flat' : 'FAILED'} |`,
    );
  }
  for (const run of runs) for (const f of run.verdict.failures) lines.push('', `- ${run.path}: ${f}`);
  return `${lines.join('\n')}\n`;
}
