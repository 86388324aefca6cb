import { renameSync, writeFileSync } from 'node:fs';

/** Writes `path` through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
