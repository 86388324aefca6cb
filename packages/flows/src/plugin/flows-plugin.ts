import { controllerEntries, defineMap, definePlugin } from '@pfm/core';
import { couplingEntries } from '../couplings/coupling-entries.js';
import { particleCloud, particleCloudOptionsSchema } from '../maps/particle-cloud.js';
import { cnf } from '../objectives/cnf.js';
import { curriculum } from '../objectives/curriculum.js';
import { distill } from '../objectives/distill.js';
import { flowMatching } from '../objectives/flow-matching.js';
import { otFlowMatching } from '../objectives/ot-flow-matching.js';
import { particles } from '../objectives/particles.js';
import { rectifiedFlow } from '../objectives/rectified-flow.js';
import { scoreSde } from '../objectives/score-sde.js';
import { stochasticInterpolantObjective } from '../objectives/stochastic-interpolant-objective.js';
import { pathEntries } from '../paths/path-entries.js';
import { integratorEntries } from './integrator-entries.js';
// The build inlines the version (esbuild keeps only the imported field of a JSON import).
import { version } from '../../package.json';

const particleCloudEntry = defineMap({
  id: 'particle-cloud',
  description: 'N particles as a map from Uniform[0, 1) to their empirical measure (the weights are the positions)',
  schema: particleCloudOptionsSchema,
  create: (options, { rng }) => particleCloud(options, rng),
});

/**
 * The @pfm/flows plugin: integrators (`euler`, `midpoint`, `heun`, `rk4`, `dopri5`,
 * `euler-maruyama`, `stochastic-heun`), the step-size controllers of core (`pi`, `integral`), objectives (`flow-matching`, `ot-flow-matching`,
 * `stochastic-interpolant`, `score-sde`, `rectified-flow`, `distill`, `curriculum`, `cnf`,
 * `particles`), the couplings `independent`, `exact-ot`, `sinkhorn`, the paths `linear`,
 * `stochastic` and the `particle-cloud` map. `curriculum` and `particles` look their loss up in
 * the registry at run time: register `ipmPlugin` from @pfm/ipm too.
 */
export const flowsPlugin = definePlugin({
  name: '@pfm/flows',
  version,
  entries: [
    ...integratorEntries,
    ...controllerEntries,
    flowMatching,
    otFlowMatching,
    stochasticInterpolantObjective,
    scoreSde,
    rectifiedFlow,
    distill,
    curriculum,
    cnf,
    particles,
    particleCloudEntry,
    ...couplingEntries,
    ...pathEntries,
  ],
});
