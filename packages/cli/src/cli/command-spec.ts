import type { Registry } from '@pfm/core';
import type { CliIo } from './cli-io.js';
import type { CommandHost } from './command-host.js';

/** One flag of a command, as node:util parseArgs reads it, plus what `--help` says about it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in the help (`FILE`, `N`, `ID`). */
  value?: string;
  description: string;
}

/** The parsed command line of one command. */
export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Every plugin of the CLI plus those given with --plugin. */
  registry: Registry;
  /** The active tfjs backend id (commands that compute), e.g. `wasm`. */
  backend: string | undefined;
  io: CliIo;
  verbose: boolean;
  /** The main thread's services when the command runs off it (absent: it runs on the main thread). */
  host?: CommandHost;
}

/** A `pfm <command>`: its flags, its help and what it does. Returns the exit code. */
export interface CommandSpec {
  name: string;
  /** One line for `pfm --help`. */
  summary: string;
  /** The usage line(s), e.g. `pfm sample --model MODEL.json -n N --out FILE [flags]`. */
  usage: string;
  /** What the command does, a short paragraph. */
  description: string;
  /** Positional arguments, in order. */
  positionals: { name: string; required: boolean }[];
  flags: Record<string, FlagSpec>;
  /** True when the command computes with tensors (it then takes --backend). */
  compute: boolean;
  examples: string[];
  /** The files the command writes, from its flags: a stop by a signal removes their temporaries. */
  outputs?(values: CommandInput['values']): string[];
  run(input: CommandInput): Promise<number>;
}

/**
 * What `--help` and the flag parser need of a command, without its run: the spec of a command whose
 * module computes (train, sample, eval, logprob) lives in a module of its own, so printing its help
 * loads no tfjs.
 */
export type CommandHelpSpec = Pick<CommandSpec, 'name' | 'summary' | 'usage' | 'description' | 'positionals' | 'flags' | 'compute' | 'examples'>;
