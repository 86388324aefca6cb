// A progress bar with ETA on stderr: redrawn in place on a terminal, one line every 2 s otherwise.

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A bar over `total` units; `update(done, label)` redraws it with the ETA from the mean rate so far. */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  const start = Date.now();
  let lastLine = 0;
  return {
    update(done: number, label: string, force = false) {
      const now = Date.now();
      if (!tty && !force && now - lastLine < 2000) return;
      lastLine = now;
      const width = 24;
      const fraction = Math.min(1, done / Math.max(total, 1e-9));
      const filled = Math.round(fraction * width);
      const elapsed = (now - start) / 1000;
      const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}% ETA ${formatDuration(eta)} ${label}`;
      stream.write(tty ? `\r${line.slice(0, 150).padEnd(150)}` : `${line}\n`);
    },
    log(message: string) {
      stream.write(tty ? `\r${message.padEnd(150)}\n` : `${message}\n`);
    },
  };
}
