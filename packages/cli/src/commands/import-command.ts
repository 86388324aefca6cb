import { basename } from 'node:path';
import { createRng, modelFromContent, type ModelFileContent, type PushforwardMap, type Registry, type VectorField } from '@pfm/core';
import { checkWritable, readSafetensorsFile, writeModelFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { choiceFlag, positiveIntegerListFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { readJsonObject } from '../io/read-json-object.js';
import { readTorchSequentialMlp, type TorchLinearLayer } from '../import/torch-sequential-mlp.js';
import { readTorchUnet } from '../import/torch-unet.js';

/** The PyTorch architectures `pfm import --from torch` maps onto pfm networks. */
export const TORCH_ARCHITECTURES = {
  /** An nn.Sequential of Linear layers and one elementwise activation, saved directly or under a prefix. */
  mlp: { prefix: undefined, indices: undefined, activation: undefined },
  /** torchcfm's MLP(dim, time_varying=True, w): net = Linear(dim+1, w), SELU, Linear(w, w), SELU, Linear(w, w), SELU, Linear(w, dim). */
  'torchcfm-mlp': { prefix: 'net.', indices: [0, 2, 4, 6], activation: 'selu' },
  /** pfm's unet as its PyTorch twin (apps/bench/reference/mnist-twin.py, class Unet): `--shape` and `--network`. */
  'pfm-unet': { prefix: undefined, indices: undefined, activation: undefined },
} as const satisfies Record<string, { prefix: string | undefined; indices: readonly number[] | undefined; activation: string | undefined }>;

/** PyTorch activation modules by lower-case class name, as pfm activation ids. */
const TORCH_ACTIVATIONS: Record<string, string> = {
  relu: 'relu',
  silu: 'silu',
  swish: 'silu',
  selu: 'selu',
  tanh: 'tanh',
  gelu: 'gelu',
  elu: 'elu',
  sigmoid: 'sigmoid',
  softplus: 'softplus',
  identity: 'linear',
  linear: 'linear',
};

/** Roles whose network is a time-dependent field v(t, x) fed [x, t]; any other role is a map z ↦ x. */
const FIELD_ROLES = new Set(['velocity', 'score']);

/**
 * The model file content of PyTorch Linear layers as the network of `role` of `method`: a
 * `time-mlp` fed [x, t] for velocity and score fields (t appended last, t = 0 at the noise), an
 * `mlp` otherwise. The objective's options are its defaults overridden by `options`.
 */
function importedContent(
  registry: Registry,
  method: string,
  options: Record<string, unknown>,
  role: string,
  layers: TorchLinearLayer[],
  activation: string,
  provenance: Record<string, unknown>,
): ModelFileContent {
  const first = layers[0]!;
  const last = layers[layers.length - 1]!;
  const dim = last.outputs;
  const hidden = layers.slice(0, -1).map((l) => l.outputs);
  const field = FIELD_ROLES.has(role);
  if (field && first.inputs !== dim + 1) {
    throw new CliError(
      `--weights: the first layer takes ${first.inputs} inputs, a ${role} field of dimension ${dim} takes ${dim + 1} ([x, t], the time last)`,
    );
  }
  const type = field ? 'time-mlp' : 'mlp';
  const mapOptions = field
    ? { dim, hidden, activation, timeEmbedding: 'concat' }
    : { inputDim: first.inputs, outputDim: dim, hidden, activation };
  const parsedMap = registry.parseOptions('map', type, mapOptions, `--activation/--hidden (${type} options)`) as Record<string, unknown>;
  const parsed = registry.parseOptions('objective', method, options, `--config (${method} options)`) as Record<string, unknown>;
  return {
    method,
    options: JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>,
    dim,
    plugins: registry.plugins.map((p) => ({ name: p.name, version: p.version })),
    maps: {
      [role]: {
        type,
        options: JSON.parse(JSON.stringify(parsedMap)) as Record<string, unknown>,
        // pfm's mlp holds its variables as layer{i}/kernel, layer{i}/bias, in order.
        weights: layers.flatMap((l, i) => [
          { name: `${2 * i}:layer${i}/kernel`, shape: [l.inputs, l.outputs], values: l.kernel },
          { name: `${2 * i + 1}:layer${i}/bias`, shape: [l.outputs], values: l.bias },
        ]),
      },
    },
    extra: {},
    training: { imported: provenance },
  };
}

/**
 * The model file content of the PyTorch twin of pfm's U-Net as the velocity (or score) field of
 * `method`, for images of `shape` [h, w, c]; `network` holds the other unet options.
 */
function importedUnet(
  registry: Registry,
  method: string,
  options: Record<string, unknown>,
  role: string,
  tensors: Parameters<typeof readTorchUnet>[0],
  shape: number[],
  network: Record<string, unknown>,
  source: string,
  provenance: Record<string, unknown>,
): ModelFileContent {
  if (!FIELD_ROLES.has(role)) throw new CliError(`--role ${role}: --arch pfm-unet is a velocity or score field (--role velocity or score)`);
  const parsedMap = registry.parseOptions('map', 'unet', { ...network, shape }, '--network (unet options)') as Record<string, unknown> & {
    channelMult: number[];
    timeFrequencies: number;
  };
  const map = registry.create('map', { id: 'unet', options: parsedMap }, { rng: createRng(0) }) as PushforwardMap | VectorField;
  let variables: { name: string; shape: number[] }[];
  try {
    variables = map.variables.map((v) => ({ name: v.name.slice(v.name.indexOf('/') + 1), shape: [...v.shape] }));
  } finally {
    map.dispose();
  }
  const weights = readTorchUnet(tensors, variables, { levels: parsedMap.channelMult.length, timeFrequencies: parsedMap.timeFrequencies, source });
  const parsed = registry.parseOptions('objective', method, options, `--config (${method} options)`) as Record<string, unknown>;
  return {
    method,
    options: JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>,
    dim: shape.reduce((a, b) => a * b, 1),
    eventShape: [...shape],
    plugins: registry.plugins.map((p) => ({ name: p.name, version: p.version })),
    maps: { [role]: { type: 'unet', options: JSON.parse(JSON.stringify(parsedMap)) as Record<string, unknown>, weights } },
    extra: {},
    training: { imported: provenance },
  };
}

/** `pfm import --from torch --arch ARCH --weights W.safetensors --method ID [--hidden …] [--activation A] --out MODEL.json`. */
export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'make a model file from network weights trained elsewhere (PyTorch safetensors)',
  usage:
    'pfm import --from torch --arch mlp|torchcfm-mlp|pfm-unet --weights W.safetensors --method ID [--role ROLE] [--hidden H1,H2,…] ' +
    '[--activation A] [--prefix P] [--shape H,W,C] [--network OPTIONS.json] [--config OPTIONS.json] [--save-weights inline|binary|safetensors] --out MODEL.json',
  description:
    'Reads a PyTorch state_dict saved as safetensors and writes a pfm model file that samples, evaluates and\n' +
    'distils like a trained one. --arch mlp: an nn.Sequential of Linear layers and one elementwise activation\n' +
    '(--activation: relu, silu, selu, tanh, gelu, elu, sigmoid, softplus; the PyTorch class names work too),\n' +
    'saved directly ("0.weight", "0.bias", "2.weight", …) or under a prefix ("net.0.weight"; found from the\n' +
    'names, or --prefix). --arch torchcfm-mlp: torchcfm\'s MLP(dim, time_varying=True, w) ("net.0" … "net.6", SELU).\n' +
    "--arch pfm-unet: pfm's unet as its PyTorch twin (apps/bench/reference/mnist-twin.py, class Unet; conv weights\n" +
    '[out, in, k, k] permuted to [k, k, in, out]) for images of --shape H,W,C, with the unet options in --network.\n' +
    "PyTorch's [out, in] weights are transposed to pfm's [in, out]. A velocity (or score) field, --role velocity\n" +
    '(default), is fed [x, t] with the time last, t = 0 at the noise and t = 1 at the data; its dimension is\n' +
    'the outputs of the last layer. --hidden, when given, must match the widths in the file. --config is a JSON\n' +
    "object of the method's options (e.g. its sampler); the rest are the method's defaults. Tensors that are\n" +
    'missing or not part of the architecture are listed in the error; F16, BF16 and F64 weights are widened to\n' +
    'float32. --save-weights safetensors keeps the weights in a side .safetensors file beside MODEL.json.',
  positionals: [],
  flags: {
    from: { type: 'string', value: 'FRAMEWORK', description: 'where the weights come from: torch (required)' },
    arch: { type: 'string', value: 'ARCH', description: 'the architecture: mlp, torchcfm-mlp or pfm-unet (required)' },
    weights: { type: 'string', value: 'W.safetensors', description: 'the state_dict as safetensors (required)' },
    method: { type: 'string', value: 'ID', description: 'objective id of the model (flow-matching, rectified-flow, …) (required)' },
    role: { type: 'string', value: 'ROLE', description: 'the network\'s role in the model (default velocity)' },
    hidden: { type: 'string', value: 'H1,H2,…', description: 'hidden widths, checked against the file' },
    activation: { type: 'string', value: 'A', description: 'activation between the Linear layers (--arch mlp; required there)' },
    prefix: { type: 'string', value: 'P', description: 'prefix of the tensor names (--arch mlp; default: found from the names)' },
    shape: { type: 'string', value: 'H,W,C', description: 'the image shape (--arch pfm-unet; required there)' },
    network: { type: 'string', value: 'OPTIONS.json', description: 'the unet options: channels, channelMult, blocks, groups, timeFrequencies, timeScale (--arch pfm-unet)' },
    config: { type: 'string', value: 'OPTIONS.json', description: "the method's options as a JSON object" },
    'save-weights': { type: 'string', value: 'HOW', description: 'inline (default), binary or safetensors (a side file)' },
    out: { type: 'string', value: 'MODEL.json', description: 'the model file to write (required)' },
  },
  compute: true,
  examples: [
    'pfm import --from torch --arch torchcfm-mlp --weights cfm.safetensors --method flow-matching --out cfm.json',
    'pfm import --from torch --arch mlp --hidden 64,64,64 --activation selu --weights model.safetensors --method flow-matching --out m.json',
  ],
  async run({ values, registry, io }) {
    const from = requiredFlag(values, 'from', 'import');
    if (from !== 'torch') throw new CliError(`--from must be "torch" (the frameworks pfm imports from), got "${from}"`);
    const arch = requiredFlag(values, 'arch', 'import');
    const spec = choiceFlag(arch, '--arch', TORCH_ARCHITECTURES, { what: 'architecture' });
    const weightsPath = requiredFlag(values, 'weights', 'import');
    const method = requiredFlag(values, 'method', 'import');
    registry.get('objective', method);
    const out = requiredFlag(values, 'out', 'import');
    const role = stringFlag(values, 'role') ?? 'velocity';
    const hidden = positiveIntegerListFlag(stringFlag(values, 'hidden'), '--hidden', 'positive integers separated by commas (64,64,64)');
    const prefixFlag = values.prefix === '' ? '' : stringFlag(values, 'prefix');
    const activationFlag = stringFlag(values, 'activation');
    if (spec.activation !== undefined && activationFlag !== undefined && TORCH_ACTIVATIONS[activationFlag.toLowerCase()] !== spec.activation) {
      throw new CliError(`--activation ${activationFlag}: --arch ${arch} uses ${spec.activation}`);
    }
    if (spec.prefix !== undefined && prefixFlag !== undefined && prefixFlag !== spec.prefix) {
      throw new CliError(`--prefix ${prefixFlag}: --arch ${arch} names its tensors "${spec.prefix}0.weight", …`);
    }
    const unet = arch === 'pfm-unet';
    const shape = positiveIntegerListFlag(stringFlag(values, 'shape'), '--shape', 'the image shape H,W,C (three positive integers, e.g. 28,28,1)', 3);
    const networkPath = stringFlag(values, 'network');
    if (unet) {
      for (const flag of ['hidden', 'activation', 'prefix'] as const) {
        if (values[flag] !== undefined) throw new CliError(`--${flag}: --arch pfm-unet takes its options from --network OPTIONS.json`);
      }
      if (shape === undefined) throw new CliError('--shape H,W,C is required with --arch pfm-unet (the image shape, e.g. 28,28,1)');
    } else if (shape !== undefined || networkPath !== undefined) {
      throw new CliError(`--${shape !== undefined ? 'shape' : 'network'}: only --arch pfm-unet takes it`);
    }
    // The unet's activation is part of the architecture (SiLU), not a flag.
    const activationText = activationFlag ?? spec.activation ?? (unet ? 'silu' : undefined);
    if (activationText === undefined) {
      throw new CliError(`--activation is required with --arch ${arch} (the file does not record it): one of ${Object.keys(TORCH_ACTIVATIONS).join(', ')}`);
    }
    const activation = TORCH_ACTIVATIONS[activationText.toLowerCase()];
    if (activation === undefined) throw new CliError(`--activation: unknown activation "${activationText}"; known: ${Object.keys(TORCH_ACTIVATIONS).join(', ')}`);
    const saveWeights = stringFlag(values, 'save-weights') ?? 'inline';
    if (saveWeights !== 'inline' && saveWeights !== 'binary' && saveWeights !== 'safetensors') {
      throw new CliError(`--save-weights must be inline, binary or safetensors, got "${saveWeights}"`);
    }
    const configPath = stringFlag(values, 'config');
    const options = configPath !== undefined ? await readJsonObject(configPath) : {};
    await checkWritable(out);

    const network = networkPath !== undefined ? await readJsonObject(networkPath) : {};
    const { tensors } = await readSafetensorsFile(weightsPath);
    if (unet) {
      const provenance = { from: 'torch', arch, weights: basename(weightsPath), tensors: tensors.length };
      const content = importedUnet(registry, method, options, role, tensors, shape!, network, weightsPath, provenance);
      modelFromContent(content, registry, out).dispose();
      await writeModelFile(out, content, { weights: saveWeights });
      const parameters = Object.values(content.maps)[0]!.weights.reduce((sum, w) => sum + w.values.length, 0);
      io.stderr(`imported a U-Net (${parameters} parameters, images [${shape!.join(', ')}]) from ${weightsPath} as the ${role} of a ${method} model; wrote ${out}\n`);
      return EXIT_CODES.ok;
    }
    const layers = readTorchSequentialMlp(tensors, {
      source: weightsPath,
      ...(spec.prefix !== undefined ? { prefix: spec.prefix } : prefixFlag !== undefined ? { prefix: prefixFlag } : {}),
      ...(spec.indices !== undefined ? { indices: spec.indices } : {}),
    });
    const widths = layers.slice(0, -1).map((l) => l.outputs);
    if (hidden !== undefined && (hidden.length !== widths.length || hidden.some((h, i) => h !== widths[i]))) {
      throw new CliError(`--hidden ${hidden.join(',')}: the layers in ${weightsPath} have hidden widths ${widths.join(',') || '(none)'}`);
    }
    const provenance = { from: 'torch', arch, weights: basename(weightsPath), activation, tensors: tensors.map((t) => t.name) };
    const content = importedContent(registry, method, options, role, layers, activation, provenance);
    // Built once through the registry, as `pfm sample` will: a method that wants other maps says so now.
    modelFromContent(content, registry, out).dispose();
    await writeModelFile(out, content, { weights: saveWeights });
    const parameters = layers.reduce((sum, l) => sum + l.kernel.length + l.bias.length, 0);
    io.stderr(
      `imported ${layers.length} Linear layers (${parameters} parameters, hidden ${widths.join(',') || 'none'}, ${activation}) from ${weightsPath} ` +
        `as the ${role} of a ${method} model of dim ${content.dim}; wrote ${out}\n`,
    );
    return EXIT_CODES.ok;
  },
};
