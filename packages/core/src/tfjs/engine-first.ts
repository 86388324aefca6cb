// Creates tfjs's global engine from the public @tensorflow/tfjs-core entry before the bundled
// gradient modules run: they then attach to this engine instead of making one whose tensors
// would lack the public entry's methods.
import * as tf from '@tensorflow/tfjs-core';

/** tfjs's global engine, created by the public entry. */
export const publicEngine = tf.engine();
