// The loss curve: every step's loss (thin) and a running mean over 2.5% of the steps, at least 5 (thick).

export function drawLossChart(canvas: HTMLCanvasElement, losses: readonly number[], steps: number): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * ratio);
  const h = Math.round(canvas.clientHeight * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const finite = losses.filter(Number.isFinite);
  g.fillStyle = '#6b7280';
  g.font = `${11 * ratio}px system-ui, sans-serif`;
  if (finite.length === 0) {
    g.fillText('loss: train to see it', 8 * ratio, 16 * ratio);
    return;
  }
  // Robust range: the first steps can be far above the rest.
  const sorted = [...finite].sort((a, b) => a - b);
  const lo = sorted[0]!;
  const hi = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.98))]!;
  const span = hi - lo || 1;
  const left = 48 * ratio;
  const bottom = h - 18 * ratio;
  const top = 8 * ratio;
  const x = (i: number) => left + ((w - left - 8 * ratio) * i) / Math.max(1, steps - 1);
  const y = (v: number) => bottom - ((bottom - top) * (Math.min(v, hi) - lo)) / span;
  const line = (values: readonly number[], color: string, width: number) => {
    g.strokeStyle = color;
    g.lineWidth = width * ratio;
    g.beginPath();
    values.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
    g.stroke();
  };
  line(losses, 'rgba(37, 99, 235, 0.3)', 1);
  const window = Math.max(5, Math.round(steps / 40));
  const smooth: number[] = [];
  let sum = 0;
  losses.forEach((v, i) => {
    sum += v;
    if (i >= window) sum -= losses[i - window]!;
    smooth.push(sum / Math.min(i + 1, window));
  });
  line(smooth, 'rgb(37, 99, 235)', 2);
  g.fillStyle = '#374151';
  g.fillText(hi.toPrecision(3), 4 * ratio, top + 8 * ratio);
  g.fillText(lo.toPrecision(3), 4 * ratio, bottom);
  g.fillText(`step ${losses.length} / ${steps}`, left, h - 4 * ratio);
}
