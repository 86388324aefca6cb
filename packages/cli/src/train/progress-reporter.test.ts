import { describe, expect, it } from 'vitest';
import { formatBar, formatDuration, formatLoss, formatProgress, ProgressReporter } from './progress-reporter.js';

describe('progress formatting', () => {
  it('durations, losses and bars', () => {
    expect([0, 12.4, 59.6, 184, 3725, NaN, -1].map(formatDuration)).toEqual(['0s', '12s', '1m00s', '3m04s', '1h02m', '?', '?']);
    expect([1.23456, -0.5, 0, 1e-5, 123456, NaN, Infinity].map(formatLoss)).toEqual(['1.2346', '-0.5000', '0.0000', '1.000e-5', '1.235e+5', 'NaN', 'Infinity']);
    expect(formatBar(0, 10)).toBe('[>         ]');
    expect(formatBar(0.5, 10)).toBe('[=====>    ]');
    expect(formatBar(1, 10)).toBe('[==========]');
    expect(formatProgress({ step: 23, steps: 500, loss: 1.5, stepsPerSecond: 312.4, etaSeconds: 1.5 })).toBe('step  23/500  loss 1.5000  312 steps/s  ETA 2s');
  });

  it('without a terminal, one line per tenth of the run and the last step', () => {
    let text = '';
    const reporter = new ProgressReporter({ stdout: () => undefined, stderr: (t) => (text += t), stderrIsTTY: false, columns: undefined }, false);
    for (let step = 1; step <= 50; step++) reporter.update({ step, steps: 50, loss: 1, losses: {}, stepsPerSecond: 10, etaSeconds: 0 });
    expect(text.trim().split('\n').map((l) => l.split('/')[0])).toEqual(['step  1', 'step  5', 'step 10', 'step 15', 'step 20', 'step 25', 'step 30', 'step 35', 'step 40', 'step 45', 'step 50']);
  });

  it('on a terminal, redraws one line in place and ends it before a message; --quiet prints only what must be said', () => {
    let text = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (text += t), stderrIsTTY: true, columns: 100 };
    const reporter = new ProgressReporter(io, false);
    reporter.update({ step: 1, steps: 2, loss: 1, losses: {}, stepsPerSecond: 10, etaSeconds: 0.1 });
    reporter.update({ step: 2, steps: 2, loss: 1, losses: {}, stepsPerSecond: 10, etaSeconds: 0 });
    reporter.message('done');
    expect(text.startsWith('\r[')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\ndone\n')).toBe(true);
    let quiet = '';
    const silent = new ProgressReporter({ ...io, stderr: (t) => (quiet += t) }, true);
    silent.update({ step: 2, steps: 2, loss: 1, losses: {}, stepsPerSecond: 10, etaSeconds: 0 });
    silent.message('x');
    expect(quiet).toBe('');
    silent.message('interrupted', true);
    expect(quiet).toBe('interrupted\n');
  });
});
