// `pfm import --from torch` and `pfm sample --noise`: a velocity field trained in PyTorch (the
// fixture of test-support/torch-velocity, made by apps/bench/reference/torch-velocity.py) gives
// PyTorch's own Euler samples from the same noise; wrong files are one error line and no output.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors, encodeSafetensors, safetensorsToFloat32 } from '@pfm/core';
import { readDataFile, readModelFile } from '@pfm/core/node';
import { describe, expect, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const FIXTURE = fileURLToPath(new URL('../test-support/torch-velocity/', import.meta.url));
const WEIGHTS = join(FIXTURE, 'weights.safetensors');
const NOISE = join(FIXTURE, 'noise.npy');

async function maxAbsDifference(a: string, b: string): Promise<number> {
  const x = await readDataFile(a);
  const y = await readDataFile(b);
  expect([x.rows, x.cols]).toEqual([y.rows, y.cols]);
  let worst = 0;
  x.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y.values[i]!))));
  return worst;
}

describe('pfm import --from torch', () => {
  it("a torchcfm MLP trained in PyTorch samples PyTorch's Euler points from the same noise (≤ 1e-5), on cpu and wasm", async () => {
    const dir = scratchDir();
    const model = join(dir, 'cfm.json');
    const imported = await runPfm(['import', '--from', 'torch', '--arch', 'torchcfm-mlp', '--weights', WEIGHTS, '--method', 'flow-matching', '--out', model]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^imported 4 Linear layers \(2306 parameters, hidden 32,32,32, selu\) .* as the velocity of a flow-matching model of dim 2; wrote /);
    for (const backend of ['cpu', 'wasm']) {
      const out = join(dir, `${backend}.npy`);
      const r = await runPfm(['sample', '--model', model, '--noise', NOISE, '--integrator', 'euler', '--steps', '100', '--backend', backend, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^sampled 64 points \(dim 2\) from the flow-matching model .*: NFE 100, /);
      expect(await maxAbsDifference(out, join(FIXTURE, 'samples.npy'))).toBeLessThanOrEqual(1e-5);
    }
    // The noise matters: other noise gives other points.
    const drawn = join(dir, 'drawn.npy');
    expect((await runPfm(['sample', '--model', model, '-n', '64', '--backend', 'cpu', '--out', drawn])).code).toBe(0);
    expect(await maxAbsDifference(drawn, join(FIXTURE, 'samples.npy'))).toBeGreaterThan(0.1);
  });

  it('--arch mlp reads the same nn.Sequential under its prefix; the weights are PyTorch\'s transposed; a side .safetensors file works', async () => {
    const dir = scratchDir();
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    expect((await runPfm(['import', '--from', 'torch', '--arch', 'torchcfm-mlp', '--weights', WEIGHTS, '--method', 'flow-matching', '--out', a])).code).toBe(0);
    const r = await runPfm([
      'import', '--from', 'torch', '--arch', 'mlp', '--hidden', '32,32,32', '--activation', 'SELU', '--weights', WEIGHTS,
      '--method', 'flow-matching', '--save-weights', 'safetensors', '--out', b,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ca = await readModelFile(a);
    const cb = await readModelFile(b);
    expect(JSON.parse(readFileSync(b, 'utf8')).weightsFile).toMatch(/^b\.[0-9a-f]{8}\.safetensors$/);
    expect(cb.maps.velocity!.options).toEqual(ca.maps.velocity!.options);
    cb.maps.velocity!.weights.forEach((w, i) => expect(Array.from(w.values)).toEqual(Array.from(ca.maps.velocity!.weights[i]!.values)));
    // layer0/kernel [3, 32] is net.0.weight [32, 3] transposed.
    const torch = decodeSafetensors(readFileSync(WEIGHTS)).tensors.find((t) => t.name === 'net.0.weight')!;
    const w = safetensorsToFloat32(torch);
    const kernel = ca.maps.velocity!.weights[0]!;
    expect(kernel.shape).toEqual([3, 32]);
    expect(kernel.values[1 * 32 + 5]).toBe(w[5 * 3 + 1]);
  });

  it("pfm's U-Net written by its PyTorch twin (--arch pfm-unet) gives the twin's Euler points (≤ 1e-5); its names are checked too", async () => {
    const dir = scratchDir();
    const unet = fileURLToPath(new URL('../test-support/torch-unet/', import.meta.url));
    writeFileSync(join(dir, 'net.json'), JSON.stringify({ channels: 4, channelMult: [1, 2], groups: 2, timeFrequencies: 4 }));
    const model = join(dir, 'unet.json');
    const args = ['import', '--from', 'torch', '--arch', 'pfm-unet', '--shape', '8,8,1', '--network', join(dir, 'net.json'), '--method', 'flow-matching'];
    const imported = await runPfm([...args, '--weights', join(unet, 'weights.safetensors'), '--out', model]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^imported a U-Net \(9133 parameters, images \[8, 8, 1\]\) from .* as the velocity of a flow-matching model; wrote /);
    for (const backend of ['cpu', 'wasm']) {
      const out = join(dir, `${backend}.csv`);
      // The twin's points are the raw Euler points; pfm sample clips image samples to [0, 1] unless --unclipped.
      const r = await runPfm(['sample', '--model', model, '--noise', join(unet, 'noise.npy'), '--integrator', 'euler', '--steps', '4', '--backend', backend, '--unclipped', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(await maxAbsDifference(out, join(unet, 'samples.npy'))).toBeLessThanOrEqual(1e-5);
    }
    const content = decodeSafetensors(readFileSync(join(unet, 'weights.safetensors')));
    const renamed = content.tensors.map((t) => (t.name === 'up_blocks.0.1.skip.conv.weight' ? { ...t, name: 'up_blocks.0.1.skip.weight' } : t));
    writeFileSync(join(dir, 'renamed.safetensors'), encodeSafetensors({ tensors: renamed, metadata: {} }));
    const line = errorLineOf(await runPfm([...args, '--weights', join(dir, 'renamed.safetensors'), '--out', join(dir, 'bad.json')]));
    expect(line).toBe(
      `pfm import: ${join(dir, 'renamed.safetensors')}: the tensors do not match the architecture: missing "up_blocks.0.1.skip.conv.weight"; unexpected "up_blocks.0.1.skip.weight"`,
    );
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('missing and extra tensors are listed, a hostile file is refused, a shape mismatch is named: exit 2, one line, nothing written', async () => {
    const dir = scratchDir();
    const content = decodeSafetensors(readFileSync(WEIGHTS));
    const renamed = content.tensors.map((t) => (t.name === 'net.6.bias' ? { ...t, name: 'net.8.bias' } : t));
    writeFileSync(join(dir, 'renamed.safetensors'), encodeSafetensors({ tensors: renamed, metadata: {} }));
    const out = join(dir, 'm.json');
    const base = ['import', '--from', 'torch', '--method', 'flow-matching', '--out', out];
    const names = errorLineOf(await runPfm([...base, '--arch', 'torchcfm-mlp', '--weights', join(dir, 'renamed.safetensors')]));
    expect(names).toBe(`pfm import: ${join(dir, 'renamed.safetensors')}: the tensors do not match the architecture: missing "net.6.bias"; unexpected "net.8.bias"`);

    const bytes = readFileSync(WEIGHTS);
    writeFileSync(join(dir, 'truncated.safetensors'), bytes.subarray(0, bytes.length - 3));
    const truncated = errorLineOf(await runPfm([...base, '--arch', 'torchcfm-mlp', '--weights', join(dir, 'truncated.safetensors')]));
    expect(truncated).toMatch(new RegExp(`^pfm import: ${join(dir, 'truncated.safetensors')}: tensors\\["net\\.6\\.bias"\\]\\.data_offsets: bytes \\d+\\.\\.\\d+ lie outside the tensor data`));
    const huge = Uint8Array.from(bytes);
    new DataView(huge.buffer).setUint32(4, 7, true);
    writeFileSync(join(dir, 'huge.safetensors'), huge);
    expect(errorLineOf(await runPfm([...base, '--arch', 'torchcfm-mlp', '--weights', join(dir, 'huge.safetensors')]))).toMatch(
      /huge\.safetensors: header length: declares 30064771\d+ bytes, more than the limit \(100000000\)$/,
    );

    const hidden = errorLineOf(await runPfm([...base, '--arch', 'mlp', '--hidden', '64,64,64', '--activation', 'selu', '--weights', WEIGHTS]));
    expect(hidden).toBe(`pfm import: --hidden 64,64,64: the layers in ${WEIGHTS} have hidden widths 32,32,32`);
    const arch = errorLineOf(await runPfm([...base, '--arch', 'resnet', '--weights', WEIGHTS]));
    expect(arch).toBe('pfm import: --arch: unknown architecture "resnet"; known: mlp, torchcfm-mlp, pfm-unet');
    const role = errorLineOf(await runPfm([...base, '--arch', 'torchcfm-mlp', '--role', 'generator', '--weights', WEIGHTS]));
    expect(role).toBe('pfm import: flow-matching: the model file has no "velocity" map (maps: generator)');
    expect(existsSync(out)).toBe(false);
  });

  it('pfm sample --noise: rows of the wrong width or count are named; nothing is written', async () => {
    const dir = scratchDir();
    const model = join(dir, 'cfm.json');
    expect((await runPfm(['import', '--from', 'torch', '--arch', 'torchcfm-mlp', '--weights', WEIGHTS, '--method', 'flow-matching', '--out', model])).code).toBe(0);
    writeFileSync(join(dir, 'wide.csv'), '1,2,3\n4,5,6\n');
    const out = join(dir, 's.csv');
    const wide = errorLineOf(await runPfm(['sample', '--model', model, '--noise', join(dir, 'wide.csv'), '--backend', 'cpu', '--out', out]));
    expect(wide).toBe(`pfm sample: --noise ${join(dir, 'wide.csv')}: has 3 values per row, the flow-matching model's noise has 2`);
    const count = errorLineOf(await runPfm(['sample', '--model', model, '--noise', NOISE, '-n', '10', '--backend', 'cpu', '--out', out]));
    expect(count).toBe(`pfm sample: -n 10: --noise ${NOISE} holds 64 rows, one per sample`);
    const seed = errorLineOf(await runPfm(['sample', '--model', model, '--noise', NOISE, '--seed', '3', '--backend', 'cpu', '--out', out]));
    expect(seed).toBe('pfm sample: --seed draws the noise that --noise gives; use one of them');
    expect(existsSync(out)).toBe(false);
  });
});
