import { describe, expect, it } from 'vitest';
import { runSpeedCases, speedCaseIds } from './speed-cases.js';
import { speedHelp } from './speed-help.js';

describe('pnpm bench:speed --help', () => {
  it('lists every registered case once, in table order, and runSpeedCases knows exactly those ids', async () => {
    const ids = speedCaseIds();
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['train-mlp-256-silu', 'train-unet-mnist', 'train-conv-generator-mnist', 'train-cnf-moons', 'wide-step-d1e5-n1e4']) expect(ids).toContain(id);
    const help = speedHelp(ids);
    const listed = /\[--cases ([^\]]*)\]/.exec(help.replace(/\n\s+/g, ''))![1]!.split(',');
    expect(listed).toEqual(ids);
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    await expect(runSpeedCases({ repeats: 1, trainSteps: 1, pairPoints: 1, matmulSize: 1, cases: ['no-such-case'] })).rejects.toThrow(
      `unknown speed case(s) no-such-case; expected some of ${ids.join(', ')}`,
    );
  });

  it('wraps the ids at whole ids', () => {
    const help = speedHelp(Array.from({ length: 12 }, (_, i) => `case-number-${i}`));
    const lines = help.split('\n').filter((l) => /case-number/.test(l));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(help).toContain('case-number-11]');
  });
});
