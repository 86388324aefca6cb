// Published numbers for the same task and setup (references.json), printed beside ours with the ratio.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../app-root.js';
import { z } from 'zod';

export const referencesSchema = z
  .object({
    source: z.string().min(1),
    setup: z.string().min(1),
    metric: z.literal('w2'),
    entries: z.array(z.object({ label: z.string(), configs: z.array(z.string()).min(1), values: z.record(z.string(), z.number().positive()) }).strict()),
  })
  .strict();

export type References = z.output<typeof referencesSchema>;

/** The committed references.json (next to dist/ and src/). */
export function loadReferences(path = join(appRoot(), 'references.json')): References {
  return referencesSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The published W2 for a config name on a data set, with its label, or undefined. */
export function referenceFor(refs: References, config: string, dataset: string): { label: string; value: number } | undefined {
  for (const e of refs.entries) {
    const value = e.values[dataset];
    if (value !== undefined && e.configs.includes(config)) return { label: e.label, value };
  }
  return undefined;
}
