// Everything the page remembers between events: the data on show, the recipe being edited, the
// losses of the current run, and the snapshot scripts read (the end-to-end test reads it).
import type { RecipeInput } from '@pfm/core';
import type { ScatterLayers } from '../ui/scatter-plot.js';
import type { ImageGridLayout } from '../ui/image-grid.js';
import type { ConditionChoice, ModelCondition, PointTable, SamplerComparison } from '../protocol.js';

/** The page's life cycle, also written to the status line's `data-state`. */
export type PageState = 'loading' | 'idle' | 'training' | 'done' | 'error';

/** What the page shows, readable by scripts as `globalThis.__pfmDemo`. */
export interface DemoSnapshot {
  state: PageState;
  backend: string | undefined;
  /** Why WebGPU is not offered, or why it fell back to wasm when asked for; undefined when it runs. */
  backendNotice: string | undefined;
  losses: number[];
  steps: number;
  comparison: SamplerComparison[];
  errors: string[];
  /** What the plot shows: points of the plane, or a grid of images. */
  view: 'scatter' | 'images';
  /** The image grid on the canvas (its layout, and whether it shows data or model samples). */
  grid: (ImageGridLayout & { source: 'data' | 'samples' }) | undefined;
  /** The model file loaded last: what it is and how long its first samples took. */
  loaded: { method: string; dim: number; eventShape: number[] | undefined; nfe: number; sampleMs: number; count: number } | undefined;
  /** What the current model is conditioned on (the class picker shows), or undefined. */
  condition: ModelCondition | undefined;
  /** The picker's samples on show: the choice, how many, and their NFE. */
  sampled: (ConditionChoice & { count: number; nfe: number }) | undefined;
}

/** The page's state. */
export interface DemoState {
  readonly snapshot: DemoSnapshot;
  /** The training data on show. */
  data: PointTable;
  /** Held-out points of the same data set, for the sampler comparison. */
  reference: PointTable | undefined;
  /** Model samples and trajectories drawn over the data. */
  layers: ScatterLayers;
  /** `[h, w, c]` when what is on show are images (the data's, or the current model's), else undefined. */
  eventShape: number[] | undefined;
  /** The recipe before an image preset replaced it, restored when the data are points again. */
  pointRecipe: RecipeInput | undefined;
  /** The recipe being edited (controls and JSON show the same object). */
  recipe: RecipeInput;
  /** Primary loss per step of the current run. */
  losses: number[];
  /** Steps of the current run. */
  totalSteps: number;
  /** The status line after training, kept while samplers are compared. */
  trainedText: string;
  /** How many sample images the grid shows and in how many columns (a grid row per class), when not the default. */
  sampleGrid: { count: number; columns: number } | undefined;
}

/** The state at page load; its snapshot is published as `globalThis.__pfmDemo`. */
export function createDemoState(): DemoState {
  const snapshot: DemoSnapshot = {
    state: 'loading',
    backend: undefined,
    backendNotice: undefined,
    losses: [],
    steps: 0,
    comparison: [],
    errors: [],
    view: 'scatter',
    grid: undefined,
    loaded: undefined,
    condition: undefined,
    sampled: undefined,
  };
  (globalThis as { __pfmDemo?: DemoSnapshot }).__pfmDemo = snapshot;
  return {
    snapshot,
    data: { rows: 0, cols: 2, values: new Float32Array(0) },
    reference: undefined,
    layers: {},
    eventShape: undefined,
    pointRecipe: undefined,
    recipe: {
      method: 'flow-matching',
      options: {},
      model: { hidden: [64, 64] },
      optimizer: { name: 'adam', lr: 1e-3 },
      steps: 1000,
      batchSize: 256,
      seed: 0,
    },
    losses: [],
    totalSteps: 0,
    trainedText: '',
    sampleGrid: undefined,
  };
}
