// The layers of the LeNet-style feature network (LeCun et al. 1998, "Gradient-based learning
// applied to document recognition", LeNet-5; here with ReLU and max pooling):
//   28×28×1 → conv 5×5 ×6 ('same') → max-pool 2 → conv 5×5 ×16 ('valid') → max-pool 2 → 400
//   → dense 120 → dense 84 (the features) → dense 10 (the class logits).

/** The parameter names of the LeNet feature network, in file order. */
export const LENET_PARAMETER_NAMES = [
  'conv1Kernel',
  'conv1Bias',
  'conv2Kernel',
  'conv2Bias',
  'dense1Kernel',
  'dense1Bias',
  'dense2Kernel',
  'dense2Bias',
  'dense3Kernel',
  'dense3Bias',
] as const;

/** One parameter name of the LeNet feature network. */
export type LenetParameterName = (typeof LENET_PARAMETER_NAMES)[number];

/**
 * The shape of every LeNet parameter: convolution kernels `[kh, kw, in, out]` (tfjs `conv2d`,
 * NHWC), dense kernels `[in, out]` (`y = x W + b`), biases `[out]`.
 */
export const LENET_PARAMETER_SHAPES: Readonly<Record<LenetParameterName, readonly number[]>> = {
  conv1Kernel: [5, 5, 1, 6],
  conv1Bias: [6],
  conv2Kernel: [5, 5, 6, 16],
  conv2Bias: [16],
  dense1Kernel: [400, 120],
  dense1Bias: [120],
  dense2Kernel: [120, 84],
  dense2Bias: [84],
  dense3Kernel: [84, 10],
  dense3Bias: [10],
};
