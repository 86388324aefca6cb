import type { CommandHelpSpec, CommandSpec } from './command-spec.js';

/**
 * A `pfm` command as the main thread knows it before its module is loaded: enough for
 * `pfm --help`, for an unknown command's error and for choosing the thread it runs on. Loading a
 * command's module loads what it computes with (tfjs, the plugins' packages, …), so only the
 * command that runs is loaded.
 */
export interface CommandEntry {
  name: string;
  /** The line of `pfm --help`: the spec's `summary` (a test holds the two equal). */
  summary: string;
  /**
   * Whether the command computes for long and so runs in a worker thread while the main thread
   * owns SIGINT/SIGTERM (see `runOffMainThread`): a signal is then heard during a long synchronous step.
   */
  offMainThread: boolean;
  /** Imports the command's module and returns its spec. */
  load(): Promise<CommandSpec>;
  /**
   * Its flags and help alone (for `--help`): a module of its own for the commands that compute
   * (loading no tfjs), else the command's module.
   */
  help(): Promise<CommandHelpSpec>;
}

/** Every `pfm` command, in the order `pfm --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'list',
    summary: 'every registered id by kind (methods, metrics, integrators, maps, data sets, backends) with options',
    offMainThread: false,
    load: async () => (await import('../commands/list-command.js')).listCommand,
    help: async () => (await import('../commands/list-command.js')).listCommand,
  },
  {
    name: 'data',
    summary: 'write the points of a data set (N seeded draws, or all of a fixed set such as mnist) to a CSV, JSON or NPY file',
    offMainThread: false,
    load: async () => (await import('../commands/data-command.js')).dataCommand,
    help: async () => (await import('../commands/data-command.js')).dataCommand,
  },
  {
    name: 'train',
    summary: 'train a method on a data file and write the model file',
    offMainThread: true,
    load: async () => (await import('../commands/train-command.js')).trainCommand,
    help: async () => (await import('../commands/train-spec.js')).trainSpec,
  },
  {
    name: 'sample',
    summary: 'draw N samples from a trained model into a CSV, JSON or NPY file, or a PNG grid of images',
    offMainThread: true,
    load: async () => (await import('../commands/sample-command.js')).sampleCommand,
    help: async () => (await import('../commands/sample-spec.js')).sampleSpec,
  },
  {
    name: 'eval',
    summary: 'compare two point clouds with a metric (a "discrepancy" id: MMD, energy distance, Sinkhorn, …), per class with labels',
    offMainThread: true,
    load: async () => (await import('../commands/eval-command.js')).evalCommand,
    help: async () => (await import('../commands/eval-spec.js')).evalSpec,
  },
  {
    name: 'logprob',
    summary: 'log density of a model at each point of a data file (models with a density)',
    offMainThread: true,
    load: async () => (await import('../commands/logprob-command.js')).logprobCommand,
    help: async () => (await import('../commands/logprob-spec.js')).logprobSpec,
  },
  {
    name: 'import',
    summary: 'make a model file from network weights trained elsewhere (PyTorch safetensors)',
    offMainThread: false,
    load: async () => (await import('../commands/import-command.js')).importCommand,
    help: async () => (await import('../commands/import-command.js')).importCommand,
  },
  {
    name: 'export',
    summary: 'write a model for other tools (safetensors weights with a JSON sidecar, or an ONNX graph)',
    offMainThread: false,
    load: async () => (await import('../commands/export-command.js')).exportCommand,
    help: async () => (await import('../commands/export-command.js')).exportCommand,
  },
];

/** The entry of the command `name`, or undefined. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
