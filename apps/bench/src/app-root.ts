// The app's folder (holding package.json, configs/ and references.json), found from this module
// whether it runs from dist/ (built) or src/<dir>/ (tests).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** Absolute path of the @pfm/bench folder. */
export function appRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@pfm/bench') return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the @pfm/bench folder above this module');
}
