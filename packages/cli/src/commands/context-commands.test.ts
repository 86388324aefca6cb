// `--context FILE` through the built command line: training on context vectors c ∈ R^m, sampling
// one point per context row (or -n points of one row), log p(x | c), and the bad inputs (wrong row
// count, wrong dimension, --context with --labels, on a class or an unconditional model), each
// exit 2 with one line and no file written.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

/** n points x = c + 0.1 ε around two context vectors c ∈ {(−2, 1), (2, −1)}, alternating, with a fixed pseudo-random ε. */
function twoContexts(n: number): { x: string; c: string } {
  let state = 12345;
  const uniform = () => {
    state = (1103515245 * state + 12345) % 2147483648;
    return state / 2147483648;
  };
  const xs = ['x0,x1'];
  const cs = ['c0,c1'];
  for (let i = 0; i < n; i++) {
    const c = i % 2 === 0 ? [-2, 1] : [2, -1];
    xs.push(c.map((v) => (v + 0.2 * (uniform() - 0.5)).toFixed(5)).join(','));
    cs.push(c.join(','));
  }
  return { x: `${xs.join('\n')}\n`, c: `${cs.join('\n')}\n` };
}

describe('pfm train/sample/logprob --context', () => {
  it('a flow trained on context vectors samples near the context it is given; one row per sample or one for all', async () => {
    const dir = scratchDir();
    const { x, c } = twoContexts(512);
    writeFileSync(join(dir, 'x.csv'), x);
    writeFileSync(join(dir, 'c.csv'), c);
    const model = join(dir, 'cfm.json');
    const trained = await runPfm(['train', '--data', join(dir, 'x.csv'), '--context', join(dir, 'c.csv'), '--condition-dropout', '0.1', '--method', 'flow-matching', '--steps', '300', '--batch-size', '128', '--lr', '0.003', '--backend', 'cpu', '-q', '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    const file = JSON.parse((await import('node:fs')).readFileSync(model, 'utf8')) as { condition: unknown };
    expect(file.condition).toEqual({ kind: 'context', dim: 2 });

    // One sample per context row: rows alternate between the two contexts.
    writeFileSync(join(dir, 'given.csv'), 'c0,c1\n-2,1\n2,-1\n-2,1\n2,-1\n');
    const perRow = join(dir, 'per-row.csv');
    const sampled = await runPfm(['sample', '--model', model, '--context', join(dir, 'given.csv'), '--steps', '20', '--backend', 'cpu', '--out', perRow]);
    expect(sampled.code, sampled.stderr).toBe(0);
    const rows = await readDataFile(perRow);
    expect(rows.rows).toBe(4);
    // Each sample lies on the side of its own context (the two centres are 4.5 apart; a model that ignored c would put half of them wrong).
    for (let i = 0; i < 4; i++) expect(Math.sign(rows.values[2 * i]!)).toBe(i % 2 === 0 ? -1 : 1);

    // -n 200 of one context row: their mean is near that context (tolerance 0.5: 300 steps of a small MLP).
    writeFileSync(join(dir, 'one.csv'), 'c0,c1\n2,-1\n');
    const many = join(dir, 'many.csv');
    const drawn = await runPfm(['sample', '--model', model, '-n', '200', '--context', join(dir, 'one.csv'), '--guidance', '2', '--steps', '20', '--backend', 'cpu', '--out', many]);
    expect(drawn.code, drawn.stderr).toBe(0);
    const table = await readDataFile(many);
    const mean = [0, 1].map((k) => table.values.filter((_, i) => i % 2 === k).reduce((a, b) => a + b, 0) / table.rows);
    expect(Math.abs(mean[0]! - 2)).toBeLessThan(0.5);
    expect(Math.abs(mean[1]! + 1)).toBeLessThan(0.5);
  }, 600_000);

  it('log p(x | c) of a coupling flow trained with --context depends on c', async () => {
    const dir = scratchDir();
    const { x, c } = twoContexts(256);
    writeFileSync(join(dir, 'x.csv'), x);
    writeFileSync(join(dir, 'c.csv'), c);
    // The same points with the other context on every row.
    writeFileSync(join(dir, 'swapped.csv'), c.replace(/-2,1|2,-1/g, (v) => (v === '-2,1' ? '2,-1' : '-2,1')));
    const model = join(dir, 'nvp.json');
    const trained = await runPfm(['train', '--data', join(dir, 'x.csv'), '--context', join(dir, 'c.csv'), '--method', 'realnvp', '--steps', '150', '--batch-size', '64', '--backend', 'cpu', '-q', '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    const own = join(dir, 'own.csv');
    const other = join(dir, 'other.csv');
    for (const [context, out] of [['c.csv', own], ['swapped.csv', other]] as const) {
      const r = await runPfm(['logprob', '--model', model, '--data', join(dir, 'x.csv'), '--context', join(dir, context), '--backend', 'cpu', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/wrote log p\(x \| c\) of the realnvp model at 256 points/);
    }
    const mean = async (path: string) => {
      const t = await readDataFile(path);
      return t.values.reduce((a, b) => a + b, 0) / t.rows;
    };
    // The points are far likelier under their own context than under the other one.
    expect(await mean(own)).toBeGreaterThan((await mean(other)) + 1);
  }, 600_000);

  it('bad input exits 2 with one line naming the file, the row count or dimension and what was expected; nothing is written', async () => {
    const dir = scratchDir();
    const { x, c } = twoContexts(64);
    writeFileSync(join(dir, 'x.csv'), x);
    writeFileSync(join(dir, 'c.csv'), c);
    writeFileSync(join(dir, 'three.csv'), 'a,b\n1,2\n3,4\n5,6\n');
    writeFileSync(join(dir, 'wide.csv'), 'a,b,c\n1,2,3\n');
    writeFileSync(join(dir, 'nan.csv'), 'a,b\n1,2\n3,NaN\n');
    writeFileSync(join(dir, 'y.csv'), `label\n${Array.from({ length: 64 }, (_, i) => i % 2).join('\n')}\n`);
    const model = join(dir, 'm.json');
    const classModel = join(dir, 'class.json');
    // The processes are independent: they run side by side (most of their time is starting up).
    const trained = await Promise.all([
      runPfm(['train', '--data', join(dir, 'x.csv'), '--context', join(dir, 'c.csv'), '--method', 'flow-matching', '--steps', '2', '--backend', 'cpu', '-q', '--out', model]),
      runPfm(['train', '--data', join(dir, 'x.csv'), '--labels', join(dir, 'y.csv'), '--method', 'flow-matching', '--steps', '2', '--backend', 'cpu', '-q', '--out', classModel]),
    ]);
    for (const r of trained) expect(r.code, r.stderr).toBe(0);

    const scratch = scratchDir();
    const out = join(scratch, 'o.csv');
    const three = join(dir, 'three.csv');
    const cases: [args: string[], line: string][] = [
      [
        ['train', '--data', join(dir, 'x.csv'), '--context', three, '--method', 'flow-matching', '--steps', '2', '--out', join(scratch, 'm.json')],
        `pfm train: --context ${three}: has 3 row(s), expected 64 (one per data row of ${join(dir, 'x.csv')})`,
      ],
      [
        ['train', '--data', join(dir, 'x.csv'), '--context', join(dir, 'nan.csv'), '--method', 'flow-matching', '--steps', '2', '--out', join(scratch, 'm.json')],
        `pfm train: --context ${join(dir, 'nan.csv')}: row 3, column 2: "NaN" is not a finite number (NaN and Infinity are not allowed)`,
      ],
      [
        ['train', '--data', join(dir, 'x.csv'), '--context', join(dir, 'c.csv'), '--labels', join(dir, 'y.csv'), '--method', 'flow-matching', '--out', join(scratch, 'm.json')],
        'pfm train: --labels and --context both give the condition of the data rows (a class, or a context vector); use one',
      ],
      [
        ['sample', '--model', model, '--context', join(dir, 'wide.csv'), '--out', out],
        `pfm sample: --context ${join(dir, 'wide.csv')}: has 3 column(s), expected context vectors of dimension 2 (those ${model} was trained on)`,
      ],
      [
        ['sample', '--model', model, '-n', '5', '--context', three, '--out', out],
        `pfm sample: --context ${three}: has 3 row(s), expected 5 (one per sample, -n 5) or one for all`,
      ],
      [
        ['sample', '--model', model, '-n', '5', '--out', out],
        `pfm sample: ${model} is conditioned on context vectors of dimension 2: give --context FILE (one per sample, -n 5)`,
      ],
      [
        ['sample', '--model', model, '--context', three, '--class', '1', '--out', out],
        'pfm sample: --context and --class/--labels both give the condition of the samples (a context vector, or a class); use one',
      ],
      [
        ['sample', '--model', classModel, '--context', three, '--out', out],
        `pfm sample: --context ${three}: ${classModel} is conditioned on class labels 0…1, not on a context vector; give the classes (--class K or --labels FILE)`,
      ],
      [
        ['sample', '--model', fx.model, '--context', three, '--out', out],
        `pfm sample: --context ${three}: ${fx.model} is an unconditional model (trained without --labels or --context)`,
      ],
      [
        ['logprob', '--model', fx.model, '--data', fx.data, '--context', three, '--out', out],
        `pfm logprob: --context ${three}: ${fx.model} is an unconditional model (trained without --labels or --context)`,
      ],
    ];
    const lines = await Promise.all(
      cases.map(async ([args]) => {
        const r = await runPfm([...args, '--backend', 'cpu']);
        expect(r.code, r.stderr).toBe(2);
        return errorLineOf(r);
      }),
    );
    expect(lines).toEqual(cases.map(([, line]) => line));
    expect(readdirSync(scratch)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }, 600_000);
});
