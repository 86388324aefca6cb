// Where a number was measured: package versions, backend and machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { appRoot } from '../app-root.js';

const PACKAGES = ['@pfm/core', '@pfm/datasets', '@pfm/ipm', '@pfm/likelihood', '@pfm/flows', '@pfm/backend-wasm', '@pfm/backend-cpu'];

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    // Walk up from the resolved entry to the package.json that names the package.
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 5; i++) {
      try {
        const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return json.version ?? 'unknown';
      } catch {
        // no package.json at this level
      }
      dir = dirname(dir);
    }
  } catch {
    // not resolvable from here
  }
  return 'unknown';
}

/** Versions of node, tfjs-core, the @pfm packages and the bench itself. */
export function benchVersions(): Record<string, string> {
  const own = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  const versions: Record<string, string> = { node: process.version, '@tensorflow/tfjs-core': tf.version_core, '@pfm/bench': own.version };
  for (const p of PACKAGES) versions[p] = packageVersion(p);
  return versions;
}

/** Operating system and CPU model and count. */
export function benchMachine(): { os: string; cpuModel: string; cpuCount: number } {
  const list = cpus();
  return { os: `${platform()} ${release()}`, cpuModel: list[0]?.model.trim() ?? 'unknown', cpuCount: list.length };
}
