// The page's DOM: the elements the scripts use, and how state is shown (status line and buttons,
// sample cloud, loss chart, comparison table). Nothing here decides anything.
import { ScatterPlot } from '../ui/scatter-plot.js';
import { drawLossChart } from '../ui/loss-chart.js';
import { drawImageGrid } from '../ui/image-grid.js';
import { imageGridPixels, type ImageRows } from '../ui/image-grid-pixels.js';
import { GRID_IMAGES, type SamplerComparison } from '../protocol.js';
import type { DemoState, PageState } from './demo-state.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The page's elements and the ways to show the state in them. */
export class PageView {
  readonly status = $<HTMLParagraphElement>('status');
  readonly sourceSelect = $<HTMLSelectElement>('data-source');
  readonly methodSelect = $<HTMLSelectElement>('method');
  readonly methodDescription = $<HTMLParagraphElement>('method-description');
  readonly optionsForm = $<HTMLDivElement>('options-form');
  readonly backendSelect = $<HTMLSelectElement>('backend');
  readonly backendInfo = $<HTMLParagraphElement>('backend-info');
  readonly recipeText = $<HTMLTextAreaElement>('recipe');
  readonly recipeError = $<HTMLParagraphElement>('recipe-error');
  readonly trainButton = $<HTMLButtonElement>('train');
  readonly stopButton = $<HTMLButtonElement>('stop');
  readonly compareButton = $<HTMLButtonElement>('compare');
  readonly modelButton = $<HTMLButtonElement>('download-model');
  readonly samplesButton = $<HTMLButtonElement>('download-samples');
  readonly gridButton = $<HTMLButtonElement>('download-grid');
  readonly pointsCanvas = $<HTMLCanvasElement>('points');
  readonly lossCanvas = $<HTMLCanvasElement>('loss');
  readonly numberInputs = {
    steps: $<HTMLInputElement>('steps'),
    batchSize: $<HTMLInputElement>('batch-size'),
    lr: $<HTMLInputElement>('lr'),
    seed: $<HTMLInputElement>('seed'),
  };
  readonly hiddenInput = $<HTMLInputElement>('hidden');
  readonly dataInfo = $<HTMLParagraphElement>('data-info');
  readonly drawTools = $<HTMLDivElement>('draw-tools');
  readonly uploadTools = $<HTMLDivElement>('upload-tools');
  readonly clearPointsButton = $<HTMLButtonElement>('clear-points');
  readonly uploadInput = $<HTMLInputElement>('upload');
  readonly modelInput = $<HTMLInputElement>('model-file');
  readonly pointsLegend = $<HTMLParagraphElement>('points-legend');
  readonly imagesLegend = $<HTMLParagraphElement>('images-legend');
  readonly comparisonBody = $<HTMLTableSectionElement>('comparison').querySelector('tbody')!;
  readonly conditionTools = $<HTMLDivElement>('condition-tools');
  readonly conditionalCheckbox = $<HTMLInputElement>('conditional');
  readonly conditionalLabel = $<HTMLSpanElement>('conditional-label');
  readonly classPicker = $<HTMLDivElement>('class-picker');
  readonly classSelect = $<HTMLSelectElement>('sample-class');
  readonly guidanceInput = $<HTMLInputElement>('guidance');
  readonly guidanceValue = $<HTMLOutputElement>('guidance-value');
  readonly classPickerInfo = $<HTMLParagraphElement>('class-picker-info');
  readonly plot: ScatterPlot;
  /** The images of the grid on show and how many are drawn, for the PNG download. */
  private shownGrid: { images: ImageRows; count: number; columns: number | undefined } | undefined;

  constructor(private readonly state: DemoState) {
    this.plot = new ScatterPlot(this.pointsCanvas);
  }

  /** Enters `pageState`: status text, `data-state`, and which buttons can be used. */
  setState(pageState: PageState, text: string): void {
    this.state.snapshot.state = pageState;
    this.status.dataset.state = pageState;
    this.status.textContent = text;
    const busy = pageState === 'training' || pageState === 'loading';
    this.trainButton.disabled = busy;
    this.stopButton.disabled = pageState !== 'training';
    // A file loaded mid-run would race the run for the place of the current model.
    this.modelInput.disabled = busy;
    const ready = pageState === 'done';
    this.compareButton.disabled = !ready;
    this.modelButton.disabled = !ready;
    this.samplesButton.disabled = !ready;
  }

  /** Shows an error (also kept in the snapshot's `errors`). */
  fail(text: string): void {
    this.state.snapshot.errors.push(text);
    this.setState('error', text);
  }

  /**
   * Redraws the plot: for images (`state.eventShape`), a grid of the first model samples, or of
   * the training images before there are any; otherwise the data with the model's layers over it.
   */
  redraw(): void {
    const { state } = this;
    const shape = state.eventShape;
    this.pointsLegend.hidden = shape !== undefined;
    this.imagesLegend.hidden = shape === undefined;
    this.samplesButton.textContent = shape === undefined ? '1,000 samples (.csv)' : '1,000 samples (.npy)';
    this.gridButton.hidden = shape === undefined;
    if (shape === undefined) {
      this.shownGrid = undefined;
      state.snapshot.view = 'scatter';
      state.snapshot.grid = undefined;
      this.plot.draw({ ...state.layers, ...(state.data.cols === 2 ? { data: state.data.values } : {}) });
      return;
    }
    const cols = shape.reduce((a, b) => a * b, 1);
    const samples = state.layers.samples;
    const source = samples !== undefined && samples.length >= cols ? 'samples' : 'data';
    const values = source === 'samples' ? samples! : state.data.cols === cols ? state.data.values : new Float32Array(0);
    const rows = Math.floor(values.length / cols);
    // The picker's grid of every class (a row each) may hold more than GRID_IMAGES images.
    const grid = source === 'samples' ? state.sampleGrid : undefined;
    const count = Math.min(grid?.count ?? GRID_IMAGES, rows);
    const caption = count === 0 ? 'no images yet' : source === 'samples' ? `${count} model samples, ${shape.join('×')}${grid ? ', a row per class' : ''}` : `${count} training images, ${shape.join('×')}`;
    const images = { rows, cols, values, shape };
    const layout = drawImageGrid(this.pointsCanvas, images, count, caption, grid?.columns);
    this.shownGrid = { images, count, columns: grid?.columns };
    this.gridButton.disabled = count === 0;
    state.snapshot.view = 'images';
    state.snapshot.grid = { ...layout, source };
  }

  /**
   * The images on show as a PNG, laid out as `pfm sample --grid` does (one pixel per image pixel,
   * 2-pixel grey gutter); undefined when no images are on show.
   */
  async gridPng(): Promise<Blob | undefined> {
    const shown = this.shownGrid;
    if (!shown || shown.count === 0) return undefined;
    const picture = imageGridPixels(shown.images, { count: shown.count, gutter: 2, ...(shown.columns !== undefined ? { columns: shown.columns } : {}) });
    const canvas = document.createElement('canvas');
    canvas.width = picture.width;
    canvas.height = picture.height;
    canvas.getContext('2d')!.putImageData(new ImageData(picture.pixels, picture.width, picture.height), 0, 0);
    return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? undefined), 'image/png'));
  }

  /** Redraws the loss chart of the current run. */
  drawLoss(steps = this.state.totalSteps): void {
    drawLossChart(this.lossCanvas, this.state.losses, steps);
  }

  /** Fills the comparison table: one row per sampler, then the data's own floor if known. */
  showComparison(rows: readonly SamplerComparison[], floor: number | undefined): void {
    const body = this.comparisonBody;
    const row = (cells: string[]) => {
      const tr = document.createElement('tr');
      for (const c of cells) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
      body.append(tr);
    };
    body.replaceChildren();
    for (const r of rows) row([r.label, String(r.nfe), r.msPer1000.toFixed(1), r.energy.toPrecision(3)]);
    if (floor !== undefined) row(['training data itself', '—', '—', floor.toPrecision(3)]);
  }
}
