// The point canvas: data (grey), model samples (blue), flow trajectories (orange), in a square
// view [-extent, extent]² of data coordinates.

export interface ScatterLayers {
  data?: Float32Array;
  samples?: Float32Array;
  trajectories?: { frames: number; paths: number; values: Float32Array };
}

export class ScatterPlot {
  private extent = 3;
  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Fits the view to `points` (row-major [n, 2]) with a margin. */
  fit(points: Float32Array): void {
    let m = 0;
    for (const v of points) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    this.extent = m > 0 ? m * 1.15 : 3;
  }

  /** Data coordinates of a mouse event. */
  toData(event: MouseEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    const u = (event.clientX - rect.left) / rect.width;
    const v = (event.clientY - rect.top) / rect.height;
    return [(2 * u - 1) * this.extent, (1 - 2 * v) * this.extent];
  }

  get scale(): number {
    return this.extent;
  }

  draw(layers: ScatterLayers): void {
    const c = this.canvas;
    const ratio = globalThis.devicePixelRatio || 1;
    const size = Math.round(c.clientWidth * ratio);
    if (c.width !== size || c.height !== size) {
      c.width = size;
      c.height = size;
    }
    const g = c.getContext('2d');
    if (!g) return;
    const px = (x: number) => ((x / this.extent + 1) / 2) * size;
    const py = (y: number) => ((1 - y / this.extent) / 2) * size;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, size, size);
    g.strokeStyle = '#e5e7eb';
    g.lineWidth = ratio;
    g.beginPath();
    g.moveTo(px(0), 0);
    g.lineTo(px(0), size);
    g.moveTo(0, py(0));
    g.lineTo(size, py(0));
    g.stroke();

    const dots = (values: Float32Array | undefined, color: string, r: number) => {
      if (!values) return;
      g.fillStyle = color;
      for (let i = 0; i + 1 < values.length; i += 2) {
        g.fillRect(px(values[i]!) - r / 2, py(values[i + 1]!) - r / 2, r, r);
      }
    };
    dots(layers.data, 'rgba(107, 114, 128, 0.35)', 3 * ratio);
    const t = layers.trajectories;
    if (t) {
      g.strokeStyle = 'rgba(234, 88, 12, 0.55)';
      g.lineWidth = ratio;
      for (let p = 0; p < t.paths; p++) {
        g.beginPath();
        for (let f = 0; f < t.frames; f++) {
          const i = (f * t.paths + p) * 2;
          if (f === 0) g.moveTo(px(t.values[i]!), py(t.values[i + 1]!));
          else g.lineTo(px(t.values[i]!), py(t.values[i + 1]!));
        }
        g.stroke();
      }
    }
    dots(layers.samples, 'rgba(37, 99, 235, 0.7)', 3 * ratio);
    g.fillStyle = '#6b7280';
    g.font = `${11 * ratio}px system-ui, sans-serif`;
    g.fillText(`[-${this.extent.toFixed(1)}, ${this.extent.toFixed(1)}]²`, 6 * ratio, size - 6 * ratio);
  }
}
