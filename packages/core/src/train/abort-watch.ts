// A synchronous training loop never lets timers or signal handlers run (Ctrl-C, a Stop button),
// so an abort would never be seen: with a signal, the loop yields to the event loop about every
// 50 ms before it asks whether to stop. Without one it never yields (the loop stays synchronous).

/** Watches an AbortSignal from inside the training loop. */
export class AbortWatch {
  private lastYield = performance.now();

  constructor(private readonly signal: AbortSignal | undefined) {}

  /** True when there is a signal and 50 ms have passed since the loop last yielded. */
  get yieldDue(): boolean {
    return this.signal !== undefined && performance.now() - this.lastYield > 50;
  }

  /** Resolves after pending macrotasks (timers, I/O, messages) have had a chance to run. */
  async yieldToEventLoop(): Promise<void> {
    await new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
    this.lastYield = performance.now();
  }

  /** True once the signal has fired. */
  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }
}
