// The registry plugin of this package: every toy generator as a 'dataset' entry, by kebab-case id.
import { defineDataset, definePlugin, type DatasetEntry, type Plugin } from '@pfm/core';
import { checkerboard, checkerboardSchema } from '../generators/checkerboard.js';
import { circles, circlesSchema } from '../generators/circles.js';
import { eightGaussians, eightGaussiansSchema } from '../generators/8gaussians.js';
import { gaussian1d, gaussian1dSchema } from '../generators/gaussian-1d.js';
import { moons, moonsSchema } from '../generators/moons.js';
import { pinwheel, pinwheelSchema } from '../generators/pinwheel.js';
import { rings, ringsSchema } from '../generators/rings.js';
import { sCurve, sCurveSchema } from '../generators/scurve.js';
import { swissRoll, swissRollSchema } from '../generators/swissroll.js';
import { twoIntervals, twoIntervalsSchema } from '../generators/two-intervals.js';
import { twoSpirals, twoSpiralsSchema } from '../generators/2spirals.js';
import { uniform1d, uniform1dSchema } from '../generators/uniform-1d.js';
import { imageMetricEntries } from '../image-metrics/image-metric-entries.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

/** Version of the generators' definitions: the package's version (a formula or a default changes only with a release). */
export const DATASETS_PLUGIN_VERSION: string = version;

const entries: DatasetEntry[] = [
  defineDataset({
    id: 'moons',
    description:
      'Two half circles, sklearn make_moons; variant ffjord (noise 0.1, ×2, +(−1, −0.2)) or torchcfm (noise 0.05, ×2, +(−1, 0)). 2-D.',
    schema: moonsSchema,
    create: (options) => moons(options),
  }),
  defineDataset({
    id: '8gaussians',
    description:
      'Mixture of 8 Gaussians at angles kπ/4; variant ffjord (radius 4/1.414, std 0.5/1.414) or torchcfm (radius 5, std 1). 2-D, exact logProb.',
    schema: eightGaussiansSchema,
    create: (options) => eightGaussians(options),
  }),
  defineDataset({
    id: 'checkerboard',
    description: 'Uniform on the 8 black squares of a 4×4 board of side scale (FFJORD: 2). 2-D, exact logProb.',
    schema: checkerboardSchema,
    create: (options) => checkerboard(options),
  }),
  defineDataset({
    id: 'pinwheel',
    description: 'FFJORD pinwheel: 5 arms, radial std 0.3, tangential std 0.1, rate 0.25, ×2. 2-D.',
    schema: pinwheelSchema,
    create: (options) => pinwheel(options),
  }),
  defineDataset({
    id: '2spirals',
    description: 'FFJORD two spirals: t = √u·3π, ±(−t cos t + U(0, ½), t sin t + U(0, ½))/3 + N(0, 0.1²). 2-D.',
    schema: twoSpiralsSchema,
    create: (options) => twoSpirals(options),
  }),
  defineDataset({
    id: 'swissroll',
    description: 'FFJORD swiss roll: sklearn make_swiss_roll(noise=1) in (x, z), divided by 5. 2-D.',
    schema: swissRollSchema,
    create: (options) => swissRoll(options),
  }),
  defineDataset({
    id: 'circles',
    description:
      'Two concentric circles, sklearn make_circles(factor 0.5); variant ffjord (noise 0.08, ×3) or torchcfm (noise 0.05, ×3.5). 2-D, exact logProb.',
    schema: circlesSchema,
    create: (options) => circles(options),
  }),
  defineDataset({
    id: 'rings',
    description: 'FFJORD rings: 4 concentric circles of radii 3, 2.25, 1.5, 0.75 plus N(0, 0.08²). 2-D, exact logProb.',
    schema: ringsSchema,
    create: (options) => rings(options),
  }),
  defineDataset({
    id: 'scurve',
    description: 'torchcfm S curve: sklearn make_s_curve(noise=0.05) in (x, z), ×1.5. 2-D.',
    schema: sCurveSchema,
    create: (options) => sCurve(options),
  }),
  defineDataset({
    id: 'gaussian-1d',
    description: 'N(mean, std²) on the line (default N(0, 1)). 1-D, exact logProb.',
    schema: gaussian1dSchema,
    create: (options) => gaussian1d(options),
  }),
  defineDataset({
    id: 'uniform-1d',
    description: 'Uniform on (low, high) (default (0, 1)). 1-D, exact logProb.',
    schema: uniform1dSchema,
    create: (options) => uniform1d(options),
  }),
  defineDataset({
    id: 'two-intervals',
    description: 'Uniform on (0, 1/4) ∪ (3/4, 1), footnote 3 of arXiv 2311.13845. 1-D, exact logProb.',
    schema: twoIntervalsSchema,
    create: (options) => twoIntervals(options),
  }),
];

/**
 * The `@pfm/datasets` plugin: registers the 12 toy data sets as 'dataset' entries (ids moons,
 * 8gaussians, checkerboard, pinwheel, 2spirals, swissroll, circles, rings, scurve, gaussian-1d,
 * uniform-1d, two-intervals), and the MNIST image metrics fld and kid as 'discrepancy' entries.
 * `createRegistry({ plugins: [datasetsPlugin] })`.
 */
export const datasetsPlugin: Plugin = definePlugin({
  name: '@pfm/datasets',
  version: DATASETS_PLUGIN_VERSION,
  entries: [...entries, ...imageMetricEntries],
});
