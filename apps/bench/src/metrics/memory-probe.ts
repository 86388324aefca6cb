// Peak memory of a run: process RSS and tfjs's tensor bytes, polled on a timer and at every
// progress callback (the timer alone misses synchronous tfjs work).
import * as tf from '@tensorflow/tfjs-core';

/** Tracks peak RSS and peak tf.memory().numBytes from `start()` to `stop()`. */
export class MemoryProbe {
  peakRss = 0;
  peakTfBytes = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  poll(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    this.peakTfBytes = Math.max(this.peakTfBytes, tf.memory().numBytes);
  }

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), 100);
    this.timer.unref();
  }

  stop(): void {
    this.poll();
    if (this.timer) clearInterval(this.timer);
  }
}
