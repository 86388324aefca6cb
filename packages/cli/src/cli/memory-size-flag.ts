import { CliError } from './cli-error.js';

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A memory size flag in bytes: a positive number with an optional binary unit K, M, G or T (an
 * optional trailing "B" or "iB"), e.g. `512M`, `1.5G`, `8GiB`, `1000000`. Undefined when absent.
 */
export function memorySizeFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:e(\d+))?\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const value = match ? Number(match[1]) * 10 ** Number(match[2] ?? 0) * UNITS[match[3]!.toLowerCase()]! : NaN;
  if (!(value >= 1) || !Number.isFinite(value)) {
    throw new CliError(`${flag} must be a memory size such as 512M, 2G or 8GiB (a positive number of bytes with an optional unit K, M, G or T), got "${text}"`);
  }
  return Math.floor(value);
}

/** `1.5 GiB`, `312 MiB`, `12 KiB`, `900 B`. */
export function formatMemorySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
