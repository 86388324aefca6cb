import { definePlugin } from '@pfm/core';
import { energyEntry } from '../energy/energy-entry.js';
import { featureDiscrepancyEntries } from '../features/feature-discrepancy-entries.js';
import { testFunctionEntries } from '../features/test-function-entries.js';
import { kernelEntries } from '../kernels/kernel-entries.js';
import { mmdEntry } from '../mmd/mmd-entry.js';
import { sinkhornEntry } from '../sinkhorn/sinkhorn-entry.js';
import { slicedWassersteinEntry } from '../sliced/sliced-wasserstein-entry.js';
import { steinEntry } from '../stein/stein-entry.js';
import { wassersteinEntry } from '../wasserstein/wasserstein-entry.js';
import { ipmObjectives } from '../objectives/ipm-objectives.js';
import { projectionCriticEntry } from '../critics/projection-critic-entry.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

/**
 * The plugin of @pfm/ipm: discrepancies `mmd`, `energy`, `features`, `fourier`, `characteristic`,
 * `sinkhorn`, `sliced-wasserstein`, `wasserstein`, `stein`; kernels `gaussian`, `laplace`,
 * `inverse-multiquadric`, `rational-quadratic`, `distance`; test functions `fourier`,
 * `characteristic`, `moment-generating`, `hermite`; objectives (one-step generators) `statistics-matching` (any
 * discrepancy as the loss), its presets `mmd`, `energy`, `fourier`, `characteristic`, `sinkhorn`,
 * `sliced-wasserstein`, and `gan`, `wgan-gp`; the map `projection-critic` (their conditional critic).
 * Register with `createRegistry().use(ipmPlugin)`.
 */
export const ipmPlugin = definePlugin({
  name: '@pfm/ipm',
  version,
  entries: [
    mmdEntry,
    energyEntry,
    ...featureDiscrepancyEntries,
    sinkhornEntry,
    slicedWassersteinEntry,
    wassersteinEntry,
    steinEntry,
    ...kernelEntries,
    ...testFunctionEntries,
    ...ipmObjectives,
    projectionCriticEntry,
  ],
});
