// Where the training data comes from: a named data set (with held-out points for the sampler
// comparison), the bundled MNIST digits, points drawn with the mouse, or an uploaded file. Image
// data switch the recipe to a short image recipe; points again bring the previous recipe back.
import { datasetPoints, decodeUpload, type DrawnPoints } from '../data/data-sources.js';
import { loadMnistSubset, MNIST_SOURCE } from '../data/mnist-subset.js';
import type { PointTable } from '../protocol.js';
import type { DemoState } from './demo-state.js';
import { imageRecipe } from './image-recipe.js';
import type { PageView } from './page-view.js';
import type { RecipeEditor } from './recipe-editor.js';

/** What the rest of the page asks of the data picker. */
export interface DataPicker {
  /** Loads the data of the selected source. */
  chooseSource(): void;
}

/** Wires the data source list, the drawing canvas and the upload field to `state.data`. */
export function bindDataPicker(state: DemoState, view: PageView, drawn: DrawnPoints, editor: RecipeEditor): DataPicker {
  const { plot, pointsCanvas, sourceSelect } = view;
  let mnist: Promise<{ data: PointTable; reference: PointTable }> | undefined;

  const setData = (table: PointTable, held: PointTable | undefined, fit: boolean): void => {
    state.data = table;
    state.reference = held;
    state.layers = {};
    state.eventShape = table.shape;
    if (table.shape !== undefined && state.pointRecipe === undefined) {
      state.pointRecipe = state.recipe;
      state.recipe = imageRecipe();
      editor.show();
    } else if (table.shape === undefined && state.pointRecipe !== undefined) {
      state.recipe = state.pointRecipe;
      state.pointRecipe = undefined;
      editor.show();
    }
    if (fit && table.rows > 0 && table.shape === undefined) plot.fit(table.values);
    // Labelled data (the mode of 8gaussians, the digit of MNIST) can train a conditional model.
    view.conditionTools.hidden = table.labels === undefined;
    if (table.labels !== undefined) view.conditionalLabel.textContent = `Conditional: train on the labels (${table.labels.classes} classes)`;
    const what = table.shape ? `${table.rows} images of ${table.shape.join('×')}` : `${table.rows} points`;
    view.dataInfo.textContent = `${what}${held ? `, ${held.rows} held out for comparison` : ''}`;
    view.redraw();
  };

  const chooseMnist = async (): Promise<void> => {
    view.dataInfo.textContent = 'loading the digits…';
    try {
      mnist ??= loadMnistSubset();
      const { data, reference } = await mnist;
      if (sourceSelect.value === MNIST_SOURCE) setData(data, reference, false);
    } catch (error) {
      mnist = undefined;
      view.dataInfo.textContent = error instanceof Error ? error.message : String(error);
    }
  };

  const chooseSource = (): void => {
    const source = sourceSelect.value;
    view.drawTools.hidden = source !== 'draw';
    view.uploadTools.hidden = source !== 'upload';
    if (source === MNIST_SOURCE) {
      void chooseMnist();
    } else if (source === 'draw') {
      setData(drawn.table(), undefined, false);
    } else if (source === 'upload') {
      setData({ rows: 0, cols: 2, values: new Float32Array(0) }, undefined, false);
    } else {
      const { data: table, reference: held } = datasetPoints(source);
      setData(table, held, true);
    }
  };

  sourceSelect.addEventListener('change', chooseSource);
  view.clearPointsButton.addEventListener('click', () => {
    drawn.clear();
    setData(drawn.table(), undefined, false);
  });
  view.uploadInput.addEventListener('change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      setData(decodeUpload(new Uint8Array(await file.arrayBuffer()), file.name), undefined, true);
    } catch (error) {
      view.dataInfo.textContent = error instanceof Error ? error.message : String(error);
    }
  });

  let drawing = false;
  const addDrawn = (event: PointerEvent): void => {
    const [x, y] = plot.toData(event);
    drawn.add(x, y, plot.scale * 0.02);
    setData(drawn.table(), undefined, false);
  };
  pointsCanvas.addEventListener('pointerdown', (event) => {
    if (sourceSelect.value !== 'draw') return;
    drawing = true;
    pointsCanvas.setPointerCapture(event.pointerId);
    addDrawn(event);
  });
  pointsCanvas.addEventListener('pointermove', (event) => {
    if (drawing) addDrawn(event);
  });
  pointsCanvas.addEventListener('pointerup', () => {
    drawing = false;
  });

  return { chooseSource };
}
