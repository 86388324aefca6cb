import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import type { CommandSpec, FlagSpec } from './command-spec.js';
import { didYouMean } from '../format/did-you-mean.js';

/** The flags of `spec` as node:util parseArgs options. */
function parseArgsOptions(flags: Record<string, FlagSpec>) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  return options;
}

/**
 * Parses `argv` (the words after the command name) against the command's flags. Unknown flags,
 * missing values and extra arguments are {@link CliError}s that name the flag or the word.
 */
export function parseCommandLine(
  spec: Pick<CommandSpec, 'name' | 'positionals'>,
  flags: Record<string, FlagSpec>,
  argv: string[],
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const seeHelp = `(see pfm ${spec.name} --help)`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: parseArgsOptions(flags), allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${describeParseError(error as Error & { code?: string }, Object.keys(flags))} ${seeHelp}`);
  }
  const positionals = parsed.positionals;
  if (positionals.length > spec.positionals.length) {
    const extra = positionals[spec.positionals.length]!;
    const hint = extra.startsWith('-') ? '' : spec.positionals.length === 0 ? ' (this command takes no arguments, only flags)' : '';
    throw new CliError(`unexpected argument "${extra}"${hint} ${seeHelp}`);
  }
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals };
}

// node:util's messages quote the flag ('--foo' or '-n, --count <value>'); keep the flag, drop the rest.
function describeParseError(error: Error & { code?: string }, flagNames: readonly string[]): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const flag = quoted.replace(/ <value>$/, '').split(', ').pop() ?? quoted;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = flag.startsWith('--') ? didYouMean(flag.slice(2).split('=')[0]!, flagNames) : undefined;
      return `unknown flag ${flag}${near === undefined ? '' : `; did you mean --${near}?`}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(error.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(error.message)) return `${flag} needs a value (for a value that starts with "-", write ${flag}=VALUE)`;
      return `${flag} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ? `"${quoted}"` : ''}`.trim();
    default:
      return error.message;
  }
}
