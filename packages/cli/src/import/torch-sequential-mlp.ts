// PyTorch `nn.Sequential` MLPs as pfm `mlp` layers. A Linear layer i of the Sequential is stored
// as `<prefix><i>.weight` [out, in] and `<prefix><i>.bias` [out] and computes x Wᵀ + b; pfm's mlp
// computes x K + b with K [in, out], so K = Wᵀ. Activations hold no tensors, hence the gaps
// (Linear at 0, 2, 4, …).
import { safetensorsToFloat32, type SafetensorsTensor } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

/** One Linear layer in pfm's layout: kernel [in, out] (the PyTorch weight transposed) and bias [out]. */
export interface TorchLinearLayer {
  /** Position in the Sequential (`net.4.weight` → 4). */
  index: number;
  inputs: number;
  outputs: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** Where to find the Linear layers of an `nn.Sequential` in a state_dict. */
export interface TorchSequentialLayout {
  /** Prefix of every name (`""`, `"net."`, `"module.net."`); undefined: found from the names. */
  prefix?: string;
  /** The exact Sequential positions of the Linear layers, when the architecture fixes them. */
  indices?: readonly number[];
  /** How the file is named in errors. */
  source: string;
}

const LINEAR = /^(.*?)(\d+)\.(weight|bias)$/;

/** The names, quoted and bounded, for an error line. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n));
  return shown.join(', ') + (names.length > 12 ? `, … ${names.length - 12} more` : '');
}

/**
 * The Linear layers of an `nn.Sequential` saved as a state_dict, in order, with each weight
 * transposed to pfm's [in, out]. Every tensor must belong to a layer: names that do not, and
 * layers missing their weight or bias, are listed in one CliError; so are shapes that do not
 * chain (out of layer k ≠ in of layer k + 1).
 */
export function readTorchSequentialMlp(tensors: readonly SafetensorsTensor[], layout: TorchSequentialLayout): TorchLinearLayer[] {
  const { source } = layout;
  let prefix = layout.prefix;
  if (prefix === undefined) {
    const prefixes = new Set(tensors.map((t) => LINEAR.exec(t.name)?.[1]).filter((p): p is string => p !== undefined));
    if (prefixes.size !== 1) {
      const found = prefixes.size === 0 ? 'no tensor named like "<prefix><i>.weight"' : `the prefixes ${listNames([...prefixes])}`;
      throw new CliError(`${source}: expected the state_dict of one nn.Sequential ("0.weight", "net.0.weight", …), found ${found}; give --prefix`);
    }
    prefix = [...prefixes][0]!;
  }
  const byIndex = new Map<number, { weight?: SafetensorsTensor; bias?: SafetensorsTensor }>();
  const extra: string[] = [];
  for (const t of tensors) {
    const match = t.name.startsWith(prefix) ? /^(\d+)\.(weight|bias)$/.exec(t.name.slice(prefix.length)) : null;
    const index = match ? Number(match[1]) : NaN;
    if (!match || (layout.indices !== undefined && !layout.indices.includes(index))) {
      extra.push(t.name);
      continue;
    }
    const entry = byIndex.get(index) ?? {};
    entry[match[2] as 'weight' | 'bias'] = t;
    byIndex.set(index, entry);
  }
  const indices = layout.indices ?? [...byIndex.keys()].sort((a, b) => a - b);
  const missing: string[] = [];
  for (const i of indices) {
    const entry = byIndex.get(i) ?? {};
    if (!entry.weight) missing.push(`${prefix}${i}.weight`);
    if (!entry.bias) missing.push(`${prefix}${i}.bias`);
  }
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing ${listNames(missing)}`] : []),
      ...(extra.length > 0 ? [`unexpected ${listNames(extra)}`] : []),
    ];
    throw new CliError(`${source}: the tensors do not match the architecture: ${parts.join('; ')}`);
  }
  if (indices.length === 0) throw new CliError(`${source}: holds no Linear layer ("${prefix}0.weight", …)`);

  const layers: TorchLinearLayer[] = [];
  for (const i of indices) {
    const { weight, bias } = byIndex.get(i)!;
    const w = weight!;
    const b = bias!;
    if (w.shape.length !== 2) throw new CliError(`${source}: ${w.name} has shape [${w.shape.join(', ')}], expected [out, in]`);
    const [outputs, inputs] = w.shape as [number, number];
    if (b.shape.length !== 1 || b.shape[0] !== outputs) {
      throw new CliError(`${source}: ${b.name} has shape [${b.shape.join(', ')}], expected [${outputs}] (the outputs of ${w.name})`);
    }
    const previous = layers[layers.length - 1];
    if (previous && previous.outputs !== inputs) {
      throw new CliError(`${source}: ${w.name} takes ${inputs} inputs, but the layer before it gives ${previous.outputs}`);
    }
    let values: Float32Array;
    let biasValues: Float32Array;
    try {
      values = safetensorsToFloat32(w);
      biasValues = safetensorsToFloat32(b);
    } catch (error) {
      throw new CliError(`${source}: ${(error as Error).message}`, { cause: error });
    }
    const kernel = new Float32Array(inputs * outputs);
    for (let o = 0; o < outputs; o++) for (let k = 0; k < inputs; k++) kernel[k * outputs + o] = values[o * inputs + k]!;
    layers.push({ index: i, inputs, outputs, kernel, bias: biasValues });
  }
  return layers;
}
