import { describe, expect, it } from 'vitest';
import { checkpointTimer } from './checkpoint-timer.js';

describe('checkpointTimer', () => {
  it('is due once the minutes have passed since the start, then since the last checkpoint', () => {
    let clock = 1_000_000;
    const timer = checkpointTimer(5, () => clock);
    expect(timer.due()).toBe(false);
    clock += 5 * 60_000 - 1;
    expect(timer.due()).toBe(false);
    clock += 1;
    expect(timer.due()).toBe(true);
    timer.written();
    expect(timer.due()).toBe(false);
    clock += 4 * 60_000;
    expect(timer.due()).toBe(false);
    clock += 60_000;
    expect(timer.due()).toBe(true);
  });

  it('with 0 minutes is never due', () => {
    let clock = 0;
    const timer = checkpointTimer(0, () => clock);
    clock += 1e12;
    expect(timer.due()).toBe(false);
  });

  it('takes fractions of a minute', () => {
    let clock = 0;
    const timer = checkpointTimer(0.5, () => clock);
    clock += 29_999;
    expect(timer.due()).toBe(false);
    clock += 1;
    expect(timer.due()).toBe(true);
  });
});
