import { describe, expect, it } from 'vitest';
import { teacherLookup } from './run-one.js';

describe('teacherLookup', () => {
  it('returns the named teacher config and names the known ones for an unknown name', () => {
    const lookup = teacherLookup({ 'flow-matching': { method: 'flow-matching', steps: 10 }, 'score-sde': { method: 'score-sde' } });
    expect(lookup('flow-matching')).toEqual({ method: 'flow-matching', steps: 10 });
    expect(() => lookup('cnf')).toThrow('teacher config cnf not found; configs: flow-matching, score-sde');
  });
});
