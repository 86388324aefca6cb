// Minimal SVG plots for the report, no dependencies: a grid of small panels (sample clouds or
// curves, one per row × column) and a log-log chart of quality against NFE.

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The i-th colour of a 10-colour palette. */
export function color(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function range(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 0.5, hi + 0.5];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** What a panel shows: a point cloud (`[n, dim]` row-major; 1-D against a fixed jitter) or a curve. */
export type Panel = { kind: 'points'; values: readonly number[]; dim: number } | { kind: 'curve'; values: readonly (number | null)[] } | { kind: 'empty'; note: string };

function panelSvg(panel: Panel, x: number, y: number, size: number, frame?: [number, number, number, number]): string {
  const parts: string[] = [`<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="white" stroke="#ddd"/>`];
  if (panel.kind === 'empty') {
    parts.push(`<text x="${x + size / 2}" y="${y + size / 2}" text-anchor="middle" font-size="9" fill="#999">${escape(panel.note)}</text>`);
    return parts.join('');
  }
  if (panel.kind === 'points') {
    const { values, dim } = panel;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i + dim <= values.length; i += dim) {
      xs.push(values[i]!);
      ys.push(dim > 1 ? values[i + 1]! : ((i * 0.6180339887) % 1) * 2 - 1);
    }
    const [x0, x1, y0, y1] = frame ?? [...range(xs), ...range(ys)];
    const circles = xs
      .map((v, i) => {
        const cx = x + 3 + ((v - x0) / (x1 - x0)) * (size - 6);
        const cy = y + size - 3 - ((ys[i]! - y0) / (y1 - y0)) * (size - 6);
        return cx >= x && cx <= x + size && cy >= y && cy <= y + size ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="1"/>` : '';
      })
      .join('');
    parts.push(`<g fill="#1f77b4" fill-opacity="0.5">${circles}</g>`);
    return parts.join('');
  }
  const vals = panel.values;
  const [v0, v1] = range(vals.filter((v): v is number => v !== null));
  const n = Math.max(vals.length, 2);
  const pts = vals
    .map((v, i) => (v === null ? null : `${(x + 3 + (i / (n - 1)) * (size - 6)).toFixed(1)},${(y + size - 12 - ((v - v0) / (v1 - v0)) * (size - 24)).toFixed(1)}`))
    .filter((p) => p !== null)
    .join(' ');
  parts.push(`<polyline fill="none" stroke="#d62728" stroke-width="1" points="${pts}"/>`);
  parts.push(`<text x="${x + 2}" y="${y + 9}" font-size="7" fill="#555">${v1.toPrecision(3)}</text>`);
  parts.push(`<text x="${x + 2}" y="${y + size - 2}" font-size="7" fill="#555">${v0.toPrecision(3)}</text>`);
  return parts.join('');
}

/**
 * A grid of panels: `rows` × `columns` labels and `cell(r, c)`. Point clouds of one column share
 * the frame of `frames[c]` (x0, x1, y0, y1) when given, so the clouds of a data set compare by eye.
 */
export function gridSvg(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  cell: (row: number, column: number) => Panel,
  options: { size?: number; frames?: ([number, number, number, number] | undefined)[] } = {},
): string {
  const size = options.size ?? 90;
  const left = 130;
  const top = 44;
  const w = left + columns.length * (size + 4) + 10;
  const h = top + rows.length * (size + 4) + 10;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="8" y="16" font-size="13">${escape(title)}</text>`,
  ];
  columns.forEach((c, j) => parts.push(`<text x="${left + j * (size + 4) + size / 2}" y="${top - 6}" text-anchor="middle" font-size="10">${escape(c)}</text>`));
  rows.forEach((r, i) => {
    const y = top + i * (size + 4);
    parts.push(`<text x="${left - 6}" y="${y + size / 2}" text-anchor="end" font-size="10">${escape(r)}</text>`);
    columns.forEach((_c, j) => parts.push(panelSvg(cell(i, j), left + j * (size + 4), y, size, options.frames?.[j])));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** One curve of a log-log chart: points (x, y), drawn as a line when it has several. */
export interface XYSeries {
  label: string;
  points: readonly { x: number; y: number }[];
}

/** A log-log chart (e.g. W2 against NFE): one line or marker per series, with a legend. */
export function logLogSvg(title: string, xLabel: string, yLabel: string, series: readonly XYSeries[]): string {
  const w = 520;
  const h = 340;
  const plotW = 300;
  const plotH = 260;
  const ox = 60;
  const oy = 30;
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const [lx0, lx1] = range(all.map((p) => Math.log10(p.x)));
  const [ly0, ly1] = range(all.map((p) => Math.log10(p.y)));
  const px = (v: number) => ox + ((Math.log10(v) - lx0) / (lx1 - lx0)) * plotW;
  const py = (v: number) => oy + plotH - ((Math.log10(v) - ly0) / (ly1 - ly0)) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="8" y="16" font-size="13">${escape(title)}</text>`,
    `<rect x="${ox}" y="${oy}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${ox + plotW / 2}" y="${h - 8}" text-anchor="middle" font-size="11">${escape(xLabel)} (log)</text>`,
    `<text x="14" y="${oy + plotH / 2}" font-size="11" transform="rotate(-90 14 ${oy + plotH / 2})" text-anchor="middle">${escape(yLabel)} (log)</text>`,
  ];
  for (let e = Math.ceil(lx0); e <= Math.floor(lx1); e++) {
    parts.push(`<text x="${px(10 ** e)}" y="${oy + plotH + 14}" text-anchor="middle" font-size="10">${10 ** e}</text>`);
  }
  for (const v of [ly0, (ly0 + ly1) / 2, ly1]) parts.push(`<text x="${ox - 4}" y="${py(10 ** v) + 3}" text-anchor="end" font-size="9">${(10 ** v).toPrecision(2)}</text>`);
  series.forEach((s, k) => {
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0);
    const c = color(k);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${c}"/>`);
    parts.push(`<text x="${ox + plotW + 10}" y="${oy + 10 + 13 * k}" font-size="10" fill="${c}">${escape(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
