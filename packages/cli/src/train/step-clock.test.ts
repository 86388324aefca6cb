import { describe, expect, it } from 'vitest';
import { LONG_STEP_MS, stepClock } from './step-clock.js';

describe('stepClock', () => {
  it('calls a step long when it took more than LONG_STEP_MS, measured from the previous one (the first from the start)', () => {
    let now = 0;
    const clock = stepClock(() => now);
    expect(clock.longSteps).toBe(false);
    now = LONG_STEP_MS + 1;
    clock.stepEnded();
    expect(clock.longSteps).toBe(true);
    now += LONG_STEP_MS;
    clock.stepEnded();
    expect(clock.longSteps).toBe(false);
    now += 5 * LONG_STEP_MS;
    clock.stepEnded();
    expect(clock.longSteps).toBe(true);
    now += 10;
    clock.stepEnded();
    expect(clock.longSteps).toBe(false);
  });
});
