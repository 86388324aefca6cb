// Whether tfjs is recording a gradient inside another one (tf.grad within tf.variableGrads, as the
// WGAN-GP penalty does). A tf.customGrad op keeps the tensors its gradient needs as copies of
// values computed off the tape, so a gradient of its gradient (second order) cannot reach its input
// through them; the ops with a hand-written gradient switch to a twice-differentiable form whenever
// a second tape encloses them.
import * as tf from '@tensorflow/tfjs-core';

/**
 * True when at least two gradient tapes are open (`tf.engine().state.gradientDepth ≥ 2`): what is
 * computed now may be differentiated twice.
 */
export function insideNestedGradient(): boolean {
  return tf.engine().state.gradientDepth >= 2;
}
