import { describe, expect, it } from 'vitest';
import { FileFieldError } from './file-field-error.js';
import { ModelFileError } from './model-file-error.js';
import { SafetensorsError } from './safetensors-error.js';

describe('FileFieldError and its kinds', () => {
  it.each([
    ['ModelFileError', ModelFileError],
    ['SafetensorsError', SafetensorsError],
  ] as const)('%s names the file, the field and the detail, and keeps its own name', (name, Kind) => {
    const cause = new Error('inner');
    const error = new Kind('m.json', 'maps.g.weights[2]', 'expected 3, got 4', { cause });
    expect(error.message).toBe('m.json: maps.g.weights[2]: expected 3, got 4');
    expect(error.name).toBe(name);
    expect(String(error)).toBe(`${name}: m.json: maps.g.weights[2]: expected 3, got 4`);
    expect(error.source).toBe('m.json');
    expect(error.path).toBe('maps.g.weights[2]');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(FileFieldError);
    expect(error).toBeInstanceOf(Error);
    const whole = new Kind('m.json', '', 'not JSON');
    expect(whole.message).toBe('m.json: not JSON');
    expect(whole.path).toBe('');
    expect('cause' in whole).toBe(false);
  });

  it('keeps the two kinds apart for instanceof', () => {
    expect(new ModelFileError('a', '', 'x')).not.toBeInstanceOf(SafetensorsError);
    expect(new SafetensorsError('a', '', 'x')).not.toBeInstanceOf(ModelFileError);
  });
});
