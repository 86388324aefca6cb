// The image canvas: a grid of small images (data or model samples) in place of the scatter plot,
// each picture pixel drawn as a square of whole canvas pixels (no smoothing), centred.
import { imageGridPixels, type ImageRows } from './image-grid-pixels.js';

/** Where the grid landed on the canvas (in canvas pixels), for scripts that read it back. */
export interface ImageGridLayout {
  count: number;
  columns: number;
  shape: number[];
  gutter: number;
  /** Canvas pixels per image pixel. */
  scale: number;
  left: number;
  top: number;
}

/**
 * Draws the first `count` images of `images` on the square `canvas` and returns the layout; tile
 * k, pixel (y, x) covers canvas pixels from `left + (gutter + (k mod columns)·(w + gutter) + x)·scale`
 * and `top + (gutter + ⌊k / columns⌋·(h + gutter) + y)·scale`, `scale` of them each way.
 * `columns` defaults to ⌈√count⌉, as `pfm sample --grid`.
 */
export function drawImageGrid(canvas: HTMLCanvasElement, images: ImageRows, count: number, caption: string, columns?: number): ImageGridLayout {
  const picture = imageGridPixels(images, { count, ...(columns !== undefined ? { columns } : {}) });
  const ratio = globalThis.devicePixelRatio || 1;
  const size = Math.round(canvas.clientWidth * ratio);
  if (canvas.width !== size || canvas.height !== size) {
    canvas.width = size;
    canvas.height = size;
  }
  const layout: ImageGridLayout = {
    count,
    columns: picture.columns,
    shape: [...images.shape],
    gutter: picture.gutter,
    scale: Math.max(1, Math.floor((size - 20 * ratio) / Math.max(picture.width, picture.height))),
    left: 0,
    top: 0,
  };
  layout.left = Math.floor((size - picture.width * layout.scale) / 2);
  layout.top = Math.floor((size - 16 * ratio - picture.height * layout.scale) / 2);
  const g = canvas.getContext('2d');
  if (!g) return layout;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, size, size);
  const tile = document.createElement('canvas');
  tile.width = picture.width;
  tile.height = picture.height;
  tile.getContext('2d')!.putImageData(new ImageData(picture.pixels, picture.width, picture.height), 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tile, layout.left, layout.top, picture.width * layout.scale, picture.height * layout.scale);
  g.fillStyle = '#6b7280';
  g.font = `${11 * ratio}px system-ui, sans-serif`;
  g.fillText(caption, 6 * ratio, size - 6 * ratio);
  return layout;
}
