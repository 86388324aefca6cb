// Minimal SVG plots for reports: scatter clouds and line charts, no dependencies.

export interface Series {
  label: string;
  color: string;
  points: ArrayLike<number>; // row-major [n, 2] for scatter, [n] for lines
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function bounds(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** A scatter plot of 2-D point clouds (first column x, second y), or of 1-D values against a jitter. */
export function scatterSvg(title: string, series: Series[], options: { width?: number; height?: number; dim?: number } = {}): string {
  const w = options.width ?? 320;
  const h = options.height ?? 320;
  const dim = options.dim ?? 2;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.points.length; i += dim) {
      xs.push(s.points[i]!);
      ys.push(dim > 1 ? s.points[i + 1]! : 0);
    }
  }
  let [x0, x1] = bounds(xs);
  let [y0, y1] = dim > 1 ? bounds(ys) : [-1, 1];
  if (dim > 1) {
    // One scale for both axes, so shapes are not stretched.
    const span = Math.max(x1 - x0, (y1 - y0) * ((w - 20) / (h - 40)));
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    [x0, x1] = [cx - span / 2, cx + span / 2];
    const ySpan = span * ((h - 40) / (w - 20));
    [y0, y1] = [cy - ySpan / 2, cy + ySpan / 2];
  }
  const px = (x: number) => 10 + ((x - x0) / (x1 - x0)) * (w - 20);
  const py = (y: number) => h - 10 - ((y - y0) / (y1 - y0)) * (h - 40);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="${w}" height="${h}" fill="white" stroke="#ccc"/>`,
    `<text x="10" y="18" font-family="sans-serif" font-size="13">${escape(title)}</text>`];
  series.forEach((s, k) => {
    parts.push(`<g fill="${s.color}" fill-opacity="0.45">`);
    for (let i = 0; i < s.points.length; i += dim) {
      const y = dim > 1 ? s.points[i + 1]! : ((i * 0.6180339887) % 1) * 1.6 - 0.8 + (k - (series.length - 1) / 2) * 0.05;
      parts.push(`<circle cx="${px(s.points[i]!).toFixed(1)}" cy="${py(y).toFixed(1)}" r="1.6"/>`);
    }
    parts.push('</g>');
    parts.push(`<text x="${w - 10}" y="${18 + 14 * k}" text-anchor="end" font-family="sans-serif" font-size="11" fill="${s.color}">${escape(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A line chart of one or more curves over their index (e.g. loss per step). */
export function lineSvg(title: string, series: Series[], options: { width?: number; height?: number; logY?: boolean } = {}): string {
  const w = options.width ?? 320;
  const h = options.height ?? 200;
  const tr = (v: number) => (options.logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const all = series.flatMap((s) => Array.from(s.points, tr));
  const [y0, y1] = bounds(all);
  const n = Math.max(...series.map((s) => s.points.length), 2);
  const px = (i: number) => 40 + (i / (n - 1)) * (w - 50);
  const py = (v: number) => h - 20 - ((tr(v) - y0) / (y1 - y0)) * (h - 50);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="${w}" height="${h}" fill="white" stroke="#ccc"/>`,
    `<text x="10" y="18" font-family="sans-serif" font-size="13">${escape(title)}</text>`,
    `<text x="4" y="${h - 20}" font-family="sans-serif" font-size="10">${(options.logY ? 10 ** y0 : y0).toPrecision(3)}</text>`,
    `<text x="4" y="36" font-family="sans-serif" font-size="10">${(options.logY ? 10 ** y1 : y1).toPrecision(3)}</text>`];
  series.forEach((s, k) => {
    const stride = Math.max(1, Math.floor(s.points.length / 400));
    const pts: string[] = [];
    for (let i = 0; i < s.points.length; i += stride) if (Number.isFinite(s.points[i]!)) pts.push(`${px(i).toFixed(1)},${py(s.points[i]!).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.2" points="${pts.join(' ')}"/>`);
    parts.push(`<text x="${w - 10}" y="${18 + 14 * k}" text-anchor="end" font-family="sans-serif" font-size="11" fill="${s.color}">${escape(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
