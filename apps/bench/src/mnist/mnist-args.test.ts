import { describe, expect, it } from 'vitest';
import { MNIST_FULL, MNIST_QUICK, parseMnistArgs } from './mnist-args.js';
import { MNIST_METHODS } from './mnist-recipes.js';

describe('parseMnistArgs', () => {
  it('defaults to every method, seed 0 and the full budget; --quick takes the quick one wherever it stands', () => {
    const full = parseMnistArgs([])!;
    expect(full.methods).toEqual([...MNIST_METHODS]);
    expect(full.seeds).toEqual([0]);
    expect([full.steps, full.minutes, full.flowSamplerSteps]).toEqual([MNIST_FULL.steps, MNIST_FULL.minutes, 100]);
    expect(full.nfeSteps).toEqual([1, 2, 4, 8, 32, 100]);
    const quick = parseMnistArgs(['--out', 'x', '--quick'])!;
    expect(quick.quick).toBe(true);
    expect([quick.steps, quick.minutes, quick.samples]).toEqual([MNIST_QUICK.steps, MNIST_QUICK.minutes, 1000]);
    expect(quick.out).toBe('x');
  });

  it('explicit flags win over the preset', () => {
    const args = parseMnistArgs(['--quick', '--minutes', '2.5', '--steps', '7', '--methods', 'vae,gan', '--seeds', '1,2', '--checkpoints', '0.75,0.25', '--pfm-only'])!;
    expect([args.minutes, args.steps, args.pfmOnly]).toEqual([2.5, 7, true]);
    expect(args.methods).toEqual(['vae', 'gan']);
    expect(args.seeds).toEqual([1, 2]);
    expect(args.checkpoints).toEqual([0.25, 0.75]);
  });

  it('bad input names the flag, the value and what was expected', () => {
    expect(() => parseMnistArgs(['--methods', 'ddpm'])).toThrow(/--methods: unknown "ddpm"; expected one of energy, mmd, gan, wgan-gp, flow-matching, distill, realnvp, nsf, vae/);
    expect(() => parseMnistArgs(['--minutes', '0'])).toThrow(/--minutes must be a positive number, got "0"/);
    expect(() => parseMnistArgs(['--checkpoints', '1'])).toThrow(/--checkpoints must be fractions of the budget in \(0, 1\), got "1"/);
    expect(() => parseMnistArgs(['--train-size', '9001'])).toThrow(/--train-size must be an integer in \[2, 9000\], got "9001"/);
    expect(() => parseMnistArgs(['--samples'])).toThrow(/--samples must be an integer/);
    expect(() => parseMnistArgs(['--bogus'])).toThrow(/unknown option "--bogus"/);
  });
});
