import { describe, expect, it } from 'vitest';
import { didYouMean, withDidYouMean } from './did-you-mean.js';
import { editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['realnpv', 'realnvp', 1], // one swap of adjacent letters
    ['ab', 'ba', 1],
    ['ca', 'abc', 3], // optimal string alignment: a swapped pair is not edited again
    ['rk4', 'rk4', 0],
    ['euler', 'heun', 4],
  ])('d(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const objectives = ['energy', 'flow-matching', 'mmd', 'realnvp', 'rectified-flow', 'vae'];
  it('suggests the nearest name within a third of the word', () => {
    expect(didYouMean('realnpv', objectives)).toBe('realnvp');
    expect(didYouMean('flow-maching', objectives)).toBe('flow-matching');
    expect(didYouMean('MMD', objectives)).toBe('mmd');
    expect(didYouMean('rk5', ['euler', 'rk4', 'dopri5'])).toBe('rk4');
  });
  it('falls back to a name the word begins with, or that begins with the word', () => {
    expect(didYouMean('energy-distance', ['characteristic', 'energy', 'mmd'])).toBe('energy');
    expect(didYouMean('dopri', ['euler', 'rk4', 'dopri5'])).toBe('dopri5');
  });
  it('suggests nothing when no name is close', () => {
    expect(didYouMean('banana', objectives)).toBeUndefined();
    expect(didYouMean('xy', objectives)).toBeUndefined();
    expect(didYouMean('vae', objectives)).toBeUndefined(); // a known name needs no suggestion
  });
});

describe('withDidYouMean', () => {
  it('adds the suggestion right after the list of known ids, keeping what follows', () => {
    expect(withDidYouMean('unknown objective "realnpv"; known objective ids: mmd, realnvp, vae')).toBe(
      'unknown objective "realnpv"; known objective ids: mmd, realnvp, vae; did you mean "realnvp"?',
    );
    expect(withDidYouMean('m.json: unknown integrator "rk5"; known integrator ids: euler, rk4; the file was written with x@1')).toBe(
      'm.json: unknown integrator "rk5"; known integrator ids: euler, rk4; did you mean "rk4"?; the file was written with x@1',
    );
    expect(withDidYouMean('--kind: unknown kind "objectiv"; kinds: objective, discrepancy, kernel')).toBe(
      '--kind: unknown kind "objectiv"; kinds: objective, discrepancy, kernel; did you mean "objective"?',
    );
  });
  it('leaves other messages and far-off names unchanged', () => {
    expect(withDidYouMean('unknown objective "zzz"; known objective ids: mmd, vae')).toBe('unknown objective "zzz"; known objective ids: mmd, vae');
    expect(withDidYouMean('--steps must be an integer')).toBe('--steps must be an integer');
  });
});
