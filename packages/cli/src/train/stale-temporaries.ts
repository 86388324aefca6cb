import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the temporary files an earlier run killed mid-write (kill -9, power loss) left beside
 * `paths`: `.pfm-tmp-<name>-<12 hex>` from atomic writes and `.pfm-tmp-check-<name>-<12 hex>`
 * from writability probes. The files themselves are never touched: an atomic write only ever
 * renames a complete temporary file over them. Returns the names removed.
 */
export async function removeStaleTemporaries(paths: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  const byDirectory = new Map<string, RegExp[]>();
  for (const path of paths) {
    const name = escapeRegExp(basename(path));
    const list = byDirectory.get(dirname(path)) ?? [];
    list.push(new RegExp(`^\\.pfm-tmp-(check-)?${name}-[0-9a-f]{12}$`));
    byDirectory.set(dirname(path), list);
  }
  for (const [directory, patterns] of byDirectory) {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!patterns.some((p) => p.test(name))) continue;
      try {
        await unlink(join(directory, name));
        removed.push(name);
      } catch {
        // gone already, or not ours to remove: harmless
      }
    }
  }
  return removed;
}
