import type { TrainProgress } from '@pfm/core';
import type { CliIo } from '../cli/cli-io.js';
import type { ProgressSink } from './progress-sink.js';

/** `12s`, `3m04s`, `1h02m` (or `?` when not finite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A loss in 4 decimals, or in exponent notation when very small or large. */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return String(loss);
  const a = Math.abs(loss);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? loss.toExponential(3) : loss.toFixed(4);
}

/** `step 230/500  loss 1.2345  312.4 steps/s  ETA 1s`. */
export function formatProgress(p: Pick<TrainProgress, 'step' | 'steps' | 'loss' | 'stepsPerSecond' | 'etaSeconds'>): string {
  const width = String(p.steps).length;
  const rate = p.stepsPerSecond >= 100 ? p.stepsPerSecond.toFixed(0) : p.stepsPerSecond.toFixed(1);
  return `step ${String(p.step).padStart(width)}/${p.steps}  loss ${formatLoss(p.loss)}  ${rate} steps/s  ETA ${formatDuration(p.etaSeconds)}`;
}

/** `[=========>          ]` for the fraction done. */
export function formatBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.floor(f * width);
  const head = full < width ? '>' : '';
  return `[${'='.repeat(full)}${head}${' '.repeat(Math.max(0, width - full - head.length))}]`;
}

/**
 * Training progress on stderr. On a terminal, one line redrawn in place at most 10 times a
 * second; otherwise (a pipe, a log file) one line at every tenth of the run.
 */
export class ProgressReporter implements ProgressSink {
  private lastDraw = 0;
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly quiet: boolean,
  ) {}

  /** A message on its own line (clears the bar first); `always` prints it even when quiet. */
  message(text: string, always = false): void {
    if (this.quiet && !always) return;
    this.clear();
    this.io.stderr(`${text}\n`);
  }

  update(progress: TrainProgress): void {
    if (this.quiet) return;
    const line = formatProgress(progress);
    const last = progress.step === progress.steps;
    if (this.io.stderrIsTTY) {
      const now = Date.now();
      if (!last && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const columns = this.io.columns ?? 80;
      const barWidth = Math.max(10, Math.min(30, columns - line.length - 4));
      const text = `${formatBar(progress.step / progress.steps, barWidth)} ${line}`.slice(0, Math.max(20, columns - 1));
      this.io.stderr(`\r${text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor((10 * progress.step) / progress.steps);
    if (decile > this.lastDecile || last) {
      this.lastDecile = decile;
      this.io.stderr(`${line}\n`);
    }
  }

  /** Ends the bar's line (terminal only). */
  clear(): void {
    if (this.drawn) {
      this.io.stderr('\n');
      this.drawn = false;
    }
  }
}
