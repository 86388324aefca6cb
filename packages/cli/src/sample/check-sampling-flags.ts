import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Model, type SampleOptions } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

// Objectives whose models the flags apply to, named in the errors (ids of the default plugins).
const INTEGRATING = 'flow-matching, rectified-flow, score-sde, cnf, …';
const STOCHASTIC = 'score-sde, stochastic-interpolant, vae, …';

function flagName(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function refuses(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch {
    return true;
  }
}

/**
 * Whether `model` integrates a flow, so that an integrator and its steps change how it samples:
 * its NFE for 1 step differs from its NFE for 2. Undefined when the model cannot tell (no `nfeFor`).
 */
export function integratesAFlow(model: Model): boolean | undefined {
  const nfeFor = model.nfeFor?.bind(model);
  if (nfeFor === undefined) return undefined;
  try {
    return nfeFor({ steps: 1 }) !== nfeFor({ steps: 2 });
  } catch {
    return false; // a one-step generator refuses integrator options
  }
}

/**
 * Whether `model` has a stochastic sampler: it accepts `stochastic: true` and, from the same seed,
 * draws different points with it than with `stochastic: false` (4 points; a model that ignores
 * the option draws the same ones).
 */
export function hasStochasticSampler(model: Model): boolean {
  if (model.nfeFor && refuses(() => model.nfeFor!({ stochastic: true }))) return false;
  return tf.tidy(() => {
    let noisy: tf.Tensor2D;
    try {
      noisy = model.sample(4, createRng(0), { stochastic: true });
    } catch {
      return false;
    }
    const plain = model.sample(4, createRng(0), { stochastic: false });
    return tf.any(tf.notEqual(noisy, plain)).dataSync()[0] === 1;
  });
}

/**
 * Refuses sampling flags that would not change what `model` draws, instead of ignoring them:
 * integrator options (--integrator, --steps and any other but --stochastic) on a model that
 * integrates no flow, --stochastic on a model with no stochastic sampler. The error names the
 * flag, the model's objective and what the flag applies to.
 */
export function checkSamplingFlags(model: Model, options: SampleOptions): void {
  const integratorFlags = Object.entries(options)
    .filter(([key, value]) => key !== 'stochastic' && value !== undefined)
    .map(([key]) => flagName(key));
  if (integratorFlags.length > 0 && integratesAFlow(model) === false) {
    throw new CliError(
      `${integratorFlags.join(' and ')} ${integratorFlags.length > 1 ? 'do' : 'does'} not apply to this ${model.method} model: ` +
        `the objective "${model.method}" makes a sampler with no integrator (NFE ${model.nfe} per sample); ` +
        `integrator flags apply to models that integrate a flow (${INTEGRATING})`,
    );
  }
  if (options.stochastic === true && !hasStochasticSampler(model)) {
    throw new CliError(
      `--stochastic does not apply to this ${model.method} model: the objective "${model.method}" makes a sampler with no stochastic ` +
        `variant; --stochastic applies to models with one (${STOCHASTIC})`,
    );
  }
}
