import { unlink } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { encodeModelFile, modelFromContent, type ModelFileContent, type Registry } from '@pfm/core';
import { exportOnnxFile } from '@pfm/onnx/node';
import { checkWritable, readModelFile, writeFileAtomic } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { choiceFlag, requiredFlag } from '../cli/flag-values.js';

/** One format of `pfm export`: the extension of its output and how it writes a model there. */
export interface ExportFormat {
  /** What `--help` says about it. */
  description: string;
  /** The extension `--out` must have (`.safetensors`). */
  extension: string;
  /** Every file an export to `out` writes (checked writable, and not the model, before anything is read). */
  outputs(out: string): string[];
  /** Writes `content` to `out`, every file whole or not at all (`registry` rebuilds the model when the format needs it). */
  write(content: ModelFileContent, out: string, modelPath: string, registry: Registry): Promise<void>;
}

/**
 * The weights as one safetensors file (an F32 tensor per weight, `<role>.<weight>`), and beside
 * it a JSON sidecar with the same stem: a pfm model file that names the safetensors file as its
 * weights — the method, its options, each network's type and options, the training recipe — so
 * the pair loads in pfm (`pfm sample --model STEM.json`) and the tensors load anywhere.
 */
const safetensorsFormat: ExportFormat = {
  description: 'the weights as safetensors, with a JSON sidecar (a pfm model file naming them)',
  extension: '.safetensors',
  outputs: (out) => [out, `${out.slice(0, -'.safetensors'.length)}.json`],
  async write(content, out, modelPath) {
    const sidecar = safetensorsFormat.outputs(out)[1]!;
    const encoded = encodeModelFile(content, { weights: 'safetensors', weightsFileName: basename(out), source: modelPath });
    await writeFileAtomic(out, encoded.binary!);
    try {
      await writeFileAtomic(sidecar, encoded.json);
    } catch (error) {
      await unlink(out).catch(() => undefined);
      throw error;
    }
  },
};

/**
 * The model as an ONNX graph (`@pfm/onnx`'s `exportOnnx`, opset 17): a one-step generator as
 * z → x, a velocity field as (t, x) → v, with the condition (`label` or `context`) and the
 * guidance scale of a guided flow as further inputs; other models are refused with the maps that
 * are supported.
 */
const onnxFormat: ExportFormat = {
  description: 'a one-step generator (z → x) or a velocity field ((t, x) → v) as an ONNX graph (opset 17)',
  extension: '.onnx',
  outputs: (out) => [out],
  async write(content, out, modelPath, registry) {
    const model = modelFromContent(content, registry, modelPath);
    try {
      await exportOnnxFile(model, out);
    } finally {
      model.dispose();
    }
  },
};

/** The formats of `pfm export`, by name. A new format is one more entry. */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = { safetensors: safetensorsFormat, onnx: onnxFormat };

/** `pfm export --model MODEL.json --format FORMAT --out FILE`. */
export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'write a model for other tools (safetensors weights with a JSON sidecar, or an ONNX graph)',
  usage: 'pfm export --model MODEL.json --format safetensors|onnx --out FILE',
  description:
    'Writes the networks of a model file in a format other tools read. safetensors: every weight an F32 tensor\n' +
    'named <role>.<weight> (velocity.layer0.kernel [in, out], velocity.layer0.bias, …) in WEIGHTS.safetensors,\n' +
    'and beside it WEIGHTS.json, a pfm model file that names those weights: the method and its options, each\n' +
    "network's type and options, the training recipe. The pair is itself a model (pfm sample --model WEIGHTS.json).\n" +
    'onnx: a one-step generator (mlp or conv-generator: input z, output x) or a velocity field (time-mlp or unet:\n' +
    'inputs t [n] and x, output v) as an ONNX graph for onnxruntime; the sampling loop of a flow stays with the\n' +
    'caller (@pfm/onnx samples it). A model trained with --labels takes the input label [n] (int64 class indices),\n' +
    'one trained with --context the input context [n, m]; a flow trained with --condition-dropout also the scalar\n' +
    'input guidance (w: 0 unconditional, 1 conditional). Nothing is written when the model file is invalid or\n' +
    'cannot be exported.',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    format: { type: 'string', value: 'FORMAT', description: `the output format: ${Object.keys(EXPORT_FORMATS).join(', ')} (required)` },
    out: { type: 'string', value: 'FILE', description: 'the file to write (required)' },
  },
  compute: true,
  examples: ['pfm export --model fm.json --format safetensors --out fm.safetensors', 'pfm export --model energy.json --format onnx --out energy.onnx'],
  async run({ values, registry, io }) {
    const modelPath = requiredFlag(values, 'model', 'export');
    const name = requiredFlag(values, 'format', 'export');
    const out = requiredFlag(values, 'out', 'export');
    const format = choiceFlag(name, '--format', EXPORT_FORMATS, { what: 'format', known: 'known formats' });
    if (!out.toLowerCase().endsWith(format.extension) || basename(out).length === format.extension.length) {
      throw new CliError(`--out ${out}: a ${name} file is named NAME${format.extension}`);
    }
    const written = format.outputs(out);
    for (const path of written) {
      if (resolve(path) === resolve(modelPath)) {
        const what = path === out ? '' : ` its file ${path}`;
        throw new CliError(`--out ${out}:${what || ' it'} would replace --model ${modelPath}; choose another name`);
      }
      await checkWritable(path);
    }
    const content = await readModelFile(modelPath);
    await format.write(content, out, modelPath, registry);
    const weights = Object.values(content.maps).reduce((sum, m) => sum + m.weights.length, 0);
    io.stderr(`exported the ${content.method} model ${modelPath} (${weights} weights) as ${name}; wrote ${written.join(' and ')}\n`);
    return EXIT_CODES.ok;
  },
};
