import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** A fresh directory for one test's outputs, inside the shared fixtures directory. */
export function scratchDir(): string {
  return mkdtempSync(join(inject('fixtures').dir, 'case-'));
}

/** A JSON file's content. */
export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}
