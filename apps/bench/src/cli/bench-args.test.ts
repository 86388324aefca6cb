import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './bench-args.js';

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
