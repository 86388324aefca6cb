import { afterEach, describe, expect, it, vi } from 'vitest';
import { integerValue, parseSuiteArgs, pathValue, positiveValue, type SuiteFlag } from './suite-args.js';

interface Options {
  steps: number;
  fast: boolean;
  out: string;
}

const FLAGS: Record<string, SuiteFlag<Options>> = {
  '--fast': { switch: (o) => (o.fast = true) },
  '--steps': { value: (o, value, flag) => (o.steps = integerValue(flag, value, 1, 100)) },
  '--out': { value: (o, value, flag) => (o.out = pathValue(flag, value, 'a folder')) },
};
const defaults = (): Options => ({ steps: 5, fast: false, out: 'x' });

describe('parseSuiteArgs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('applies switches and value flags in order, a value flag taking the next argument', () => {
    expect(parseSuiteArgs(['--steps', '7', '--fast', '--out', 'dir'], defaults(), FLAGS, 'help')).toEqual({ steps: 7, fast: true, out: 'dir' });
    expect(parseSuiteArgs([], defaults(), FLAGS, 'help')).toEqual(defaults());
  });

  it('prints the help and gives null for --help or -h; an unknown flag (an inherited name too) throws with the help', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(parseSuiteArgs(['--fast', '-h'], defaults(), FLAGS, 'the help')).toBeNull();
    expect(write).toHaveBeenCalledWith('the help\n');
    expect(() => parseSuiteArgs(['--slow'], defaults(), FLAGS, 'the help')).toThrow('unknown option "--slow"\nthe help');
    expect(() => parseSuiteArgs(['constructor'], defaults(), FLAGS, 'the help')).toThrow(/unknown option "constructor"/);
  });

  it('names the flag, the value and what was expected', () => {
    expect(() => parseSuiteArgs(['--steps', '101'], defaults(), FLAGS, '')).toThrow('--steps must be an integer in [1, 100], got "101"');
    expect(() => parseSuiteArgs(['--steps'], defaults(), FLAGS, '')).toThrow('--steps must be an integer in [1, 100], got undefined');
    expect(() => integerValue('--dims', '1.5', 2)).toThrow('--dims must be an integer ≥ 2, got "1.5"');
    expect(() => positiveValue('--minutes', '-1')).toThrow('--minutes must be a positive number, got "-1"');
    expect(() => parseSuiteArgs(['--out', '--fast'], defaults(), FLAGS, '')).toThrow('--out needs a folder');
  });
});
