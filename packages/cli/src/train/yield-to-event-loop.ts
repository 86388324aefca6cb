/**
 * Resolves after the event loop has run once (a macrotask), so signal handlers (Ctrl-C) and I/O
 * callbacks get their turn during a long synchronous computation.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
