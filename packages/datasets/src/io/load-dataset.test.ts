import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@pfm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from './load-dataset.js';

// A minimal .npy (format 1.0): magic, version, header length, a Python-dict header padded so the
// data starts at a multiple of 64 bytes, then little-endian float32 values.
function npy(rows: number, cols: number, values: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const data = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => data.setFloat32(4 * i, v, true));
  return out;
}

describe('loadDataset', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pfm-datasets-'));
    await writeFile(join(dir, 'points.csv'), 'x,y\n1,2\n3,4\n5,6\n');
    await writeFile(join(dir, 'points.json'), '[[1, 2], [3, 4], [5, 6]]');
    await writeFile(join(dir, 'points.npy'), npy(3, 2, [1, 2, 3, 4, 5, 6]));
    await writeFile(join(dir, 'points.txt'), '1 2\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads CSV, JSON and NPY into the same empirical measure', async () => {
    for (const name of ['points.csv', 'points.json', 'points.npy']) {
      const m = await loadDataset(join(dir, name));
      expect(m.dim, name).toBe(2);
      expect(m.size, name).toBe(3);
      expect(Array.from(m.data.dataSync()), name).toEqual([1, 2, 3, 4, 5, 6]);
      // Samples are rows of the file.
      const s = m.sample(50, createRng(0));
      const v = s.dataSync();
      for (let i = 0; i < 50; i++) expect([1, 3, 5]).toContain(v[2 * i]!);
      for (let i = 0; i < 50; i++) expect(v[2 * i + 1]! - v[2 * i]!).toBe(1);
      s.dispose();
      m.dispose();
    }
  });

  it('names the file for a missing file or an unknown extension', async () => {
    await expect(loadDataset(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: no such file/);
    await expect(loadDataset(join(dir, 'points.txt'))).rejects.toThrow(/points\.txt: unknown data file extension/);
  });
});
