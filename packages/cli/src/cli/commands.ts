import type { CommandSpec } from './command-spec.js';
import { dataCommand } from '../commands/data-command.js';
import { evalCommand } from '../commands/eval-command.js';
import { exportCommand } from '../commands/export-command.js';
import { importCommand } from '../commands/import-command.js';
import { listCommand } from '../commands/list-command.js';
import { logprobCommand } from '../commands/logprob-command.js';
import { sampleCommand } from '../commands/sample-command.js';
import { trainCommand } from '../commands/train-command.js';

/** Every `pfm` command, in the order `pfm --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [listCommand, dataCommand, trainCommand, sampleCommand, evalCommand, logprobCommand, importCommand, exportCommand];
