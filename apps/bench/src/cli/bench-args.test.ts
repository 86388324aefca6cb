import { describe, expect, it } from 'vitest';
import { parseBenchArgs, splitSuite } from './bench-args.js';
import { parseParityArgs } from '../parity/parity-args.js';

describe('parseBenchArgs', () => {
  it('defaults: wasm, three seeds; --quick: seed 0', () => {
    expect(parseBenchArgs([])).toMatchObject({ quick: false, seeds: [0, 1, 2], backend: 'wasm', out: 'bench-output' });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ quick: true, seeds: [0] });
  });

  it('reads lists and numbers', () => {
    expect(parseBenchArgs(['--methods', 'flow-matching, vae', '--seeds', '3,4', '--backend', 'cpu', '--steps', '7', '--threads', '1', '--train-size', '5000'])).toMatchObject({
      threads: 1,
      trainSize: 5000,
      methods: ['flow-matching', 'vae'],
      seeds: [3, 4],
      backend: 'cpu',
      steps: 7,
    });
  });

  it('rejects bad values with the flag in the message', () => {
    expect(() => parseBenchArgs(['--backend', 'webgl'])).toThrow(/--backend must be wasm or cpu, got "webgl"/);
    expect(() => parseBenchArgs(['--seeds', '1,x'])).toThrow(/--seeds must be integers, got "x"/);
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps must be a positive integer/);
    expect(() => parseBenchArgs(['--threads', '0'])).toThrow(/--threads must be a positive integer/);
    expect(() => parseBenchArgs(['--train-size', '-3'])).toThrow(/--train-size must be a positive integer/);
    expect(() => parseBenchArgs(['--frobnicate'])).toThrow(/unknown option "--frobnicate"/);
  });
});

describe('splitSuite and parseParityArgs', () => {
  it('--suite picks the suite and leaves the other flags', () => {
    expect(splitSuite(['--quick'])).toEqual({ suite: 'matrix', rest: ['--quick'] });
    expect(splitSuite(['--seeds', '0', '--suite', 'parity', '--dims', '4'])).toEqual({ suite: 'parity', rest: ['--seeds', '0', '--dims', '4'] });
    expect(splitSuite(['--suite', 'mnist', '--quick'])).toEqual({ suite: 'mnist', rest: ['--quick'] });
    expect(() => splitSuite(['--suite', 'speed'])).toThrow(/--suite must be matrix, parity, mnist, curriculum, guidance, soak or spectral, got "speed"/);
    expect(splitSuite(['--suite', 'curriculum', '--quick'])).toEqual({ suite: 'curriculum', rest: ['--quick'] });
    expect(splitSuite(['--suite', 'soak', '--quick'])).toEqual({ suite: 'soak', rest: ['--quick'] });
    expect(splitSuite(['--suite', 'spectral', '--quick'])).toEqual({ suite: 'spectral', rest: ['--quick'] });
  });

  it('parity defaults: every target and method, d = 2, 4, 8, 16, seeds 0, 1, 2, 5,000 steps, one thread', () => {
    const args = parseParityArgs([])!;
    expect(args.targets).toEqual(['mixture', 'banana', 'manifold']);
    expect(args.dims).toEqual([2, 4, 8, 16]);
    expect(args.methods).toHaveLength(6);
    expect([args.seeds, args.steps, args.samples, args.threads, args.pfmOnly]).toEqual([[0, 1, 2], 5000, 5000, 1, false]);
    const custom = parseParityArgs(['--targets', 'banana', '--dims', '4,8', '--methods', 'realnvp', '--pfm-only', '--steps', '10'])!;
    expect([custom.targets, custom.dims, custom.methods, custom.pfmOnly, custom.steps]).toEqual([['banana'], [4, 8], ['realnvp'], true, 10]);
  });

  it('parity: bad values name the flag and what was expected', () => {
    expect(() => parseParityArgs(['--targets', 'moons'])).toThrow(/--targets: unknown "moons"; expected one of mixture, banana, manifold/);
    expect(() => parseParityArgs(['--dims', '1'])).toThrow(/--dims must be an integer ≥ 2, got "1"/);
    expect(() => parseParityArgs(['--methods', 'gan'])).toThrow(/--methods: unknown "gan"/);
    expect(() => parseParityArgs(['--out'])).toThrow(/--out needs a folder/);
    expect(() => parseParityArgs(['--frobnicate'])).toThrow(/unknown option "--frobnicate"/);
  });
});
