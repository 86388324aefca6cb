import type { CommandHelpSpec, CommandSpec, FlagSpec } from './command-spec.js';
import { BACKEND_FLAG, COMMON_FLAGS } from './common-flags.js';
import { EXIT_CODES } from './exit-codes.js';
import { CLI_VERSION } from './version.js';

function flagLines(flags: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(flags).map(([name, flag]) => {
    const long = `--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`;
    return [flag.short ? `-${flag.short}, ${long}` : `    ${long}`, flag.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, text]) => `  ${left.padEnd(width)}  ${text}`);
}

/** `pfm <command> --help`. */
export function commandHelp(spec: CommandHelpSpec): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.description, ''];
  if (Object.keys(spec.flags).length > 0) lines.push('Flags:', ...flagLines(spec.flags), '');
  lines.push('Common flags:', ...flagLines({ ...(spec.compute ? BACKEND_FLAG : {}), ...COMMON_FLAGS }), '');
  if (spec.examples.length > 0) lines.push('Examples:', ...spec.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}

/** `pfm --help`: the commands' names and summaries (no command module needs to be loaded for it). */
export function mainHelp(commands: readonly Pick<CommandSpec, 'name' | 'summary'>[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `pfm ${CLI_VERSION}: learn pushforward samplers (statistics matching, likelihood, flows) on TensorFlow.js`,
    '',
    'Usage: pfm <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Flags:',
    '  -h, --help     show this help (pfm <command> --help for a command)',
    '  -v, --version  print the version',
    '',
    `Exit codes: ${EXIT_CODES.ok} success, ${EXIT_CODES.error} error (one line on stderr; --verbose adds the stack trace),`,
    `            ${EXIT_CODES.interrupted} stopped by Ctrl-C (SIGINT), ${EXIT_CODES.terminated} by SIGTERM (pfm train writes a checkpoint first).`,
    '',
    'A model file is data: loading one never runs code. Only --plugin MODULE loads code.',
    '',
  ].join('\n');
}
