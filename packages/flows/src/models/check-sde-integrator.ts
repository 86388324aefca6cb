import type { Registry } from '@pfm/core';
import { resolveSolver } from './resolve-solver.js';

/**
 * Throws unless `id` names a registered SDE integrator (one that declares `stochastic`), naming the
 * recipe field `where` (`score-sde: options.sdeIntegrator`) and the SDE integrators that exist.
 * Objectives call it when they are created, so a recipe with a wrong stochastic integrator fails
 * before training rather than at its first stochastic sample.
 */
export function checkSdeIntegrator(registry: Registry, id: string, where: string): void {
  const stochasticIds = () =>
    registry.ids('integrator').filter((known) => {
      try {
        return registry.create('integrator', known).stochastic === true;
      } catch {
        return false;
      }
    });
  if (!registry.has('integrator', id)) {
    const known = stochasticIds();
    throw new RangeError(`${where}: unknown integrator "${id}"; SDE integrators: ${known.length > 0 ? known.join(', ') : '(none registered: add flowsPlugin)'}`);
  }
  const solver = resolveSolver(registry, id, where);
  if (!solver.stochastic) {
    throw new TypeError(`${where}: "${id}" is an ODE integrator; the reverse SDE needs an SDE integrator (${stochasticIds().join(', ')})`);
  }
}
