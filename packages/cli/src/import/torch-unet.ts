// pfm's U-Net from its PyTorch twin (apps/bench/reference/mnist-twin.py, class Unet): each pfm
// variable `down0/res0/conv1/kernel` has one state_dict entry (`down_blocks.0.0.conv1.conv.weight`).
// Conv weights are [out, in, k, k] in PyTorch and [k, k, in, out] in pfm (NHWC); Linear weights
// [out, in] and [in, out]; GroupNorm weight/bias are pfm's scale/shift.
import { safetensorsToFloat32, type SafetensorsTensor, type WeightRecord } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

/** Sub-modules of a residual block that are convolutions (the twin's SameConv holds an nn.Conv2d as `.conv`). */
const CONVS = new Set(['conv1', 'conv2', 'skip']);

/** The twin's state_dict name of the pfm U-Net variable `name` (levels = channelMult.length). */
export function torchUnetName(name: string, levels: number): string | undefined {
  const parts = name.split('/');
  const field = parts.pop();
  const torchField = field === 'kernel' || field === 'scale' ? 'weight' : field === 'bias' || field === 'shift' ? 'bias' : undefined;
  if (torchField === undefined) return undefined;
  const block = (sub: string) => (CONVS.has(sub) ? `${sub}.conv` : sub);
  const [head, second, third] = parts;
  let module: string | undefined;
  if (head === 'time') module = second === 'dense0' ? 'time1' : second === 'dense1' ? 'time2' : undefined;
  else if (head === 'in') module = 'input.conv';
  else if (head === 'out') module = second === 'norm' ? 'out_norm' : second === 'conv' ? 'output.conv' : undefined;
  else if (head === 'middle' && second !== undefined) module = `middle.${block(second)}`;
  else {
    const match = /^(down|up)(\d+)$/.exec(head ?? '');
    if (match && second !== undefined) {
      const down = match[1] === 'down';
      // The twin lists the way up from the deepest level.
      const level = down ? Number(match[2]) : levels - 1 - Number(match[2]);
      const res = /^res(\d+)$/.exec(second);
      if (second === 'downsample' || second === 'upsample') module = `${down ? 'downsamples' : 'upsamples'}.${level}.conv`;
      else if (res && third !== undefined) module = `${down ? 'down_blocks' : 'up_blocks'}.${level}.${res[1]}.${block(third)}`;
    }
  }
  return module === undefined ? undefined : `${module}.${torchField}`;
}

/** The values of a PyTorch tensor in pfm's layout for a variable of `shape` (transposes, permutes). */
function toPfmLayout(tensor: SafetensorsTensor, shape: readonly number[], source: string): Float32Array {
  const expected =
    shape.length === 4 ? [shape[3]!, shape[2]!, shape[0]!, shape[1]!] : shape.length === 2 ? [shape[1]!, shape[0]!] : [...shape];
  if (tensor.shape.length !== expected.length || tensor.shape.some((d, i) => d !== expected[i])) {
    throw new CliError(`${source}: ${tensor.name} has shape [${tensor.shape.join(', ')}], the architecture needs [${expected.join(', ')}]`);
  }
  let values: Float32Array;
  try {
    values = safetensorsToFloat32(tensor);
  } catch (error) {
    throw new CliError(`${source}: ${(error as Error).message}`, { cause: error });
  }
  if (shape.length === 2) {
    const [inputs, outputs] = shape as [number, number];
    const out = new Float32Array(values.length);
    for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) out[i * outputs + o] = values[o * inputs + i]!;
    return out;
  }
  if (shape.length === 4) {
    const [kh, kw, inputs, outputs] = shape as [number, number, number, number];
    const out = new Float32Array(values.length);
    for (let o = 0; o < outputs; o++)
      for (let i = 0; i < inputs; i++)
        for (let a = 0; a < kh; a++)
          for (let b = 0; b < kw; b++) out[((a * kw + b) * inputs + i) * outputs + o] = values[((o * inputs + i) * kh + a) * kw + b]!;
    return out;
  }
  return values;
}

/**
 * The weights of a pfm U-Net, in its variable order, from the twin's state_dict. `variables` are
 * the U-Net's variables (names without the map's scope, shapes) for the chosen options. Missing
 * and unexpected tensors are listed in one CliError; the twin's `omegas` buffer (its time
 * frequencies, recomputed from the options) must have the frequencies' count.
 */
export function readTorchUnet(
  tensors: readonly SafetensorsTensor[],
  variables: readonly { name: string; shape: readonly number[] }[],
  options: { levels: number; timeFrequencies: number; source: string },
): WeightRecord[] {
  const { source } = options;
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const wanted = variables.map((v) => torchUnetName(v.name, options.levels));
  const missing: string[] = [];
  wanted.forEach((n, i) => {
    if (n === undefined || !byName.has(n)) missing.push(n ?? variables[i]!.name);
  });
  const used = new Set(wanted);
  const extra = tensors.map((t) => t.name).filter((n) => !used.has(n) && n !== 'omegas');
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]) => names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ') + (names.length > 12 ? `, … ${names.length - 12} more` : '');
    const parts = [...(missing.length > 0 ? [`missing ${list(missing)}`] : []), ...(extra.length > 0 ? [`unexpected ${list(extra)}`] : [])];
    throw new CliError(`${source}: the tensors do not match the architecture: ${parts.join('; ')}`);
  }
  const omegas = byName.get('omegas');
  if (omegas !== undefined && (omegas.shape.length !== 1 || omegas.shape[0] !== options.timeFrequencies)) {
    throw new CliError(`${source}: omegas has shape [${omegas.shape.join(', ')}], the architecture has ${options.timeFrequencies} time frequencies`);
  }
  return variables.map((v, i) => ({
    name: `${i}:${v.name}`,
    shape: [...v.shape],
    values: toPfmLayout(byName.get(wanted[i]!)!, v.shape, source),
  }));
}
