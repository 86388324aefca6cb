import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('pfm (the built executable)', () => {
  it('--version prints the package version', async () => {
    const r = await runPfm(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('--help lists every command; <command> --help and help <command> list its flags', async () => {
    const main = await runPfm(['--help']);
    expect(main.code).toBe(0);
    for (const name of ['list', 'data', 'train', 'sample', 'eval', 'logprob']) expect(main.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const train = await runPfm(['train', '--help']);
    expect(train.code).toBe(0);
    for (const flag of ['--data', '--method', '--config', '--steps', '--batch-size', '--lr', '--seed', '--teacher', '--checkpoint-every', '--resume', '--out', '--backend', '--plugin', '--verbose']) {
      expect(train.stdout).toContain(flag);
    }
    const sample = await runPfm(['help', 'sample']);
    expect(sample.code).toBe(0);
    expect(sample.stdout).toContain('Usage: pfm sample --model MODEL.json -n N');
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const r = await runPfm([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: pfm <command>');
  });

  it('an unknown command is an error listing the commands, with the nearest one', async () => {
    const line = errorLineOf(await runPfm(['trian']));
    expect(line).toBe('pfm: unknown command "trian"; commands: list, data, train, sample, eval, logprob, import, export; did you mean "train"?');
  });

  it('an unknown flag or id near a known one gets a "did you mean"', async () => {
    expect(errorLineOf(await runPfm(['train', '--dat', 'x.csv']))).toBe('pfm train: unknown flag --dat; did you mean --data? (see pfm train --help)');
    expect(errorLineOf(await runPfm(['list', '--kind', 'objectiv']))).toMatch(/; did you mean "objective"\?$/);
    expect(errorLineOf(await runPfm(['data', 'moonz', '-n', '3', '--out', 'x.csv', '--backend', 'cpu']))).toMatch(
      /^pfm data: unknown dataset "moonz"; known dataset ids: .*; did you mean "moons"\?$/,
    );
  });

  it('an unknown flag is an error naming the flag; --verbose adds the stack trace', async () => {
    const line = errorLineOf(await runPfm(['list', '--bogus']));
    expect(line).toBe('pfm list: unknown flag --bogus (see pfm list --help)');
    const verbose = await runPfm(['sample', '--model', 'missing-model.json', '-n', '3', '--out', 'x.csv', '--backend', 'cpu', '--verbose']);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr.split('\n')[0]).toContain('missing-model.json');
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('flag values are checked and named: missing values, non-integers, unknown backends', async () => {
    expect(errorLineOf(await runPfm(['data', 'moons', '-n', '10', '--out']))).toBe('pfm data: --out needs a value (see pfm data --help)');
    expect(errorLineOf(await runPfm(['data', 'moons', '-n', 'ten', '--out', 'x.csv', '--backend', 'cpu']))).toBe(
      'pfm data: -n must be an integer in [1, 50000000], got "ten"',
    );
    expect(errorLineOf(await runPfm(['data', 'moons', '-n', '3', '--out', 'x.csv', '--backend', 'gpu']))).toBe(
      'pfm data: --backend: unknown backend "gpu"; known backend ids: cpu, wasm; did you mean "cpu"?',
    );
  });

  it('--plugin: a missing module and a module without a plugin are errors naming it', async () => {
    const dir = scratchDir();
    expect(errorLineOf(await runPfm(['list', '--plugin', './nope.mjs'], { cwd: dir }))).toMatch(/^pfm list: --plugin \.\/nope\.mjs: no such file/);
    writeFileSync(join(dir, 'empty.mjs'), 'export const answer = 42;\n');
    expect(errorLineOf(await runPfm(['list', '--plugin', './empty.mjs'], { cwd: dir }))).toBe(
      'pfm list: --plugin ./empty.mjs: the module exports no plugin (expected a default export or an export named "plugin" with { name, version, entries })',
    );
  });
});
