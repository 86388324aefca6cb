// `pnpm bench --suite soak`: the in-process soak, then (with --path cli or both) the same run through `pfm
// train`; writes soak.json and soak.md to --out and says whether memory stayed flat.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Registry } from '@pfm/core';
import { useBackend } from '@pfm/core';
import { wasm } from '@pfm/backend-wasm';
import { writeFileAtomic } from '@pfm/core/node';
import { parseSoakArgs } from './soak-args.js';
import { runCliSoak } from './cli-soak.js';
import { runSoak, soakRecipe, type SoakRun } from './run-soak.js';
import { soakMarkdown } from './soak-markdown.js';

/**
 * Runs the soak suite with `argv` (without `--suite soak`) on the wasm backend; resolves to true
 * when every run held numTensors constant and RSS within its bound (or on --help).
 */
export async function runSoakSuite(argv: readonly string[], registry: Registry, log: (line: string) => void): Promise<boolean> {
  const args = parseSoakArgs(argv);
  if (!args) return true;
  await useBackend(wasm({ threads: args.threads }));
  const runs: SoakRun[] = [];
  if (args.path !== 'cli') runs.push(await runSoak(args, registry, log));
  if (args.path !== 'in-process') runs.push(await runCliSoak(args, log));
  const command = `node --expose-gc apps/bench/dist/main.js --suite soak ${argv.join(' ')}`.trim();
  const report = { command, gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function', node: process.version, recipe: soakRecipe(args), args, runs };
  await writeFileAtomic(join(args.out, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(args.out, 'soak.md'), soakMarkdown(runs, command));
  for (const run of runs) {
    const v = run.verdict;
    log(
      `${run.path}: ${run.steps} steps in ${run.seconds.toFixed(0)} s; numTensors ${v.numTensorsRange ? v.numTensorsRange.join('–') : 'not observable'}; RSS slope ${v.rssSlopeBytesPerStep.toFixed(2)} bytes/step over steps ≥ ${v.fitFromStep} (${v.rssFittedGrowthMiB.toFixed(2)} MiB, bound ${args.maxRssGrowthMiB}); ${v.ok ? 'flat' : `FAILED: ${v.failures.join('; ')}`}`,
    );
  }
  log(`results: ${resolve(args.out, 'soak.md')}`);
  return runs.every((r) => r.verdict.ok);
}
