import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { choiceFlag, positiveIntegerListFlag } from './flag-values.js';

describe('choiceFlag', () => {
  const table = { safetensors: 1, onnx: 2 };

  it('gives the entry the text names', () => {
    expect(choiceFlag('onnx', '--format', table, { what: 'format' })).toBe(2);
    expect(choiceFlag('safetensors', '--format', table, { what: 'format' })).toBe(1);
  });

  it('refuses an unknown name, an inherited property included, listing the known ones', () => {
    expect(() => choiceFlag('tflite', '--format', table, { what: 'format', known: 'known formats' })).toThrow(
      new CliError('--format: unknown format "tflite"; known formats: safetensors, onnx'),
    );
    expect(() => choiceFlag('toString', '--arch', table, { what: 'architecture' })).toThrow(/^--arch: unknown architecture "toString"; known: safetensors, onnx$/);
  });
});

describe('positiveIntegerListFlag', () => {
  it('reads comma-separated positive integers (spaces allowed around them)', () => {
    expect(positiveIntegerListFlag('64, 64,32', '--hidden', 'widths')).toEqual([64, 64, 32]);
    expect(positiveIntegerListFlag('28,28,1', '--shape', 'H,W,C', 3)).toEqual([28, 28, 1]);
    expect(positiveIntegerListFlag(undefined, '--hidden', 'widths')).toBeUndefined();
  });

  it.each(['0,4', '4,-1', '4,,4', '1.5', '4,x', '', '9007199254740993'])('refuses "%s", naming the flag, what was expected and the text', (text) => {
    expect(() => positiveIntegerListFlag(text, '--hidden', 'positive integers separated by commas (64,64,64)')).toThrow(
      `--hidden must be positive integers separated by commas (64,64,64), got "${text}"`,
    );
  });

  it('with a length, refuses lists of another length', () => {
    expect(() => positiveIntegerListFlag('28,28', '--shape', 'three positive integers', 3)).toThrow('--shape must be three positive integers, got "28,28"');
    expect(() => positiveIntegerListFlag('1,2,3,4', '--shape', 'three positive integers', 3)).toThrow(/got "1,2,3,4"/);
  });
});
