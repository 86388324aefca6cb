// A one-line progress bar on stderr (redrawn in place on a terminal, a line per update otherwise).

export function progressBar(label: string) {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(done: number, total: number, extra = '') {
      const now = Date.now();
      if (!tty && done < total && now - last < 2000) return;
      last = now;
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}`;
      process.stderr.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
    },
    done(message: string) {
      process.stderr.write(tty ? `\r${message.padEnd(100)}\n` : `${message}\n`);
    },
  };
}
