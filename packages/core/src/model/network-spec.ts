// Which network a recipe's `model` builds for one role, and with which options. `model.type` names a
// map id (the rest of `model` are its options); without it, vector data get today's MLPs and images
// (an eventShape [h, w, c]) get a convolutional map chosen by the role.
import type { MapSpec } from '../contracts/map.js';
import type { NetworkConfig } from '../contracts/objective.js';
import { OptionsError } from '../registry/registry.js';

/** What a network does in an objective: it decides the default map and where the image side is. */
export type NetworkRole = 'generator' | 'decoder' | 'critic' | 'encoder' | 'velocity';

/**
 * The map each role gets on images when the recipe names none: generators and VAE decoders a
 * `conv-generator` (latent → image), critics and VAE encoders a `conv-encoder` (image → vector),
 * velocity and score fields a `unet`. Vector data keep `mlp` (`time-mlp` for fields).
 */
export const IMAGE_NETWORK_DEFAULTS: Readonly<Record<NetworkRole, string>> = {
  generator: 'conv-generator',
  decoder: 'conv-generator',
  critic: 'conv-encoder',
  encoder: 'conv-encoder',
  velocity: 'unet',
};

/** True when `eventShape` is an image shape `[h, w, c]` of positive integers. */
export function isImageShape(eventShape: readonly number[] | undefined): eventShape is readonly [number, number, number] {
  return eventShape !== undefined && eventShape.length === 3 && eventShape.every((d) => Number.isInteger(d) && d > 0);
}

/**
 * The spec `{ type, options }` of the network for `role`: `model.type` or the role's default, the
 * rest of `model` as options, and the sizes the objective fixes (`inputDim`/`outputDim` of an `mlp`,
 * `dim` of a `time-mlp` or another field, `outputShape`, `inputShape` or `shape` of the image maps)
 * over them. `dims` are the vector sizes: for a field, `inputDim` = `outputDim` = the data dimension.
 * Throws an OptionsError at `model.type` when a convolutional map is asked for without an image
 * eventShape, or when the image does not have the role's data dimension.
 */
export function networkSpec(
  network: NetworkConfig,
  role: NetworkRole,
  dims: { inputDim: number; outputDim: number },
  eventShape?: readonly number[],
): MapSpec {
  const { type, ...options } = network;
  if (type !== undefined && (typeof type !== 'string' || type.length === 0)) {
    throw new OptionsError(`bad model: model.type: expected a map id (a non-empty string), got ${JSON.stringify(type)}`);
  }
  const image = isImageShape(eventShape) ? eventShape : undefined;
  const id = type ?? (image ? IMAGE_NETWORK_DEFAULTS[role] : role === 'velocity' ? 'time-mlp' : 'mlp');
  const needsImage = (side: 'input' | 'output' | 'both'): readonly [number, number, number] => {
    if (!image) {
      throw new OptionsError(
        `bad model: model.type: "${id}" works on images and needs the data's eventShape [h, w, c], got ${eventShape === undefined ? 'none' : JSON.stringify(eventShape)}`,
      );
    }
    const size = image[0] * image[1] * image[2];
    const want = side === 'input' ? dims.inputDim : dims.outputDim;
    if (size !== want) {
      throw new OptionsError(`bad model: model.type: "${id}" as the ${role} needs images of ${want} values, the eventShape ${JSON.stringify(image)} has ${size}`);
    }
    return image;
  };
  switch (id) {
    case 'conv-generator':
      return { type: id, options: { ...options, inputDim: dims.inputDim, outputShape: [...needsImage('output')] } };
    case 'conv-encoder':
      return { type: id, options: { ...options, inputShape: [...needsImage('input')], outputDim: dims.outputDim } };
    case 'unet':
      return { type: id, options: { ...options, shape: [...needsImage('both')] } };
    default:
      return role === 'velocity'
        ? { type: id, options: { ...options, dim: dims.outputDim } }
        : { type: id, options: { ...options, inputDim: dims.inputDim, outputDim: dims.outputDim } };
  }
}
