// Fault injection for `pfm train`: SIGKILL at random moments, a full disk, an unwritable output,
// resuming on other data or another backend, and rollback on divergence.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, decodeCheckpoint, disposeCheckpoint } from '@pfm/core';
import { readModelFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { errorLineOf, FIXTURE_PLUGIN, runPfm, startPfm, type PfmResult } from '../test-support/run-pfm.js';
import { readJson, scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts every file the run left is complete: the model is the previous bytes or a valid model, the checkpoint decodes. */
async function checkFilesOnDisk(dir: string, out: string, previous: Buffer): Promise<{ checkpointStep: number | undefined; modelReplaced: boolean }> {
  const names = readdirSync(dir).sort();
  // Only the model, its checkpoint and temporary files of writes cut short may exist.
  for (const name of names) expect(['model.json', 'model.json.ckpt.json'].includes(name) || name.startsWith('.pfm-tmp-'), name).toBe(true);
  const bytes = readFileSync(out);
  let modelReplaced = false;
  if (!bytes.equals(previous)) {
    await readModelFile(out); // throws on a partial or damaged file
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
    modelReplaced = true;
  }
  let checkpointStep: number | undefined;
  if (existsSync(`${out}.ckpt.json`)) {
    const { checkpoint } = decodeCheckpoint(readFileSync(`${out}.ckpt.json`, 'utf8'), 'checkpoint');
    checkpointStep = checkpoint.step;
    disposeCheckpoint(checkpoint);
    expect(checkpointStep % 10).toBe(0);
  }
  return { checkpointStep, modelReplaced };
}

describe('pfm train under faults', () => {
  it('kill -9 at seeded random moments leaves complete files; resuming ends on the uninterrupted model, bit for bit', async () => {
    const dir = scratchDir();
    const out = join(dir, 'model.json');
    const checkpoint = `${out}.ckpt.json`;
    // A model from an earlier run sits at --out: until the new one is complete it must stay as it was.
    const previous = Buffer.from(JSON.stringify({ ...readJson(fx.model), training: { status: 'earlier run' } }));
    writeFileSync(out, previous);
    const args = ['train', '--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--checkpoint-every', '10', '--out', out];
    const resumeArgs = () => (existsSync(checkpoint) ? ['--resume', checkpoint] : []);
    const rng = createRng(20261129);
    const random = () => rng.next();
    const kills: string[] = [];
    let state = await checkFilesOnDisk(dir, out, previous);
    // Three kills at seeded random moments of the training, then one within 20 ms of the last
    // step, while the model file is being written. A moment is a random tenth of the run still
    // ahead (the progress lines on a pipe come at every tenth) plus 0–25 ms, so the kills land
    // inside the training whatever the machine's speed; kill k stays at or before step 210 + 30k
    // so that every kill has training left to cut.
    for (let attempt = 0; attempt < 4 && !state.modelReplaced; attempt++) {
      const run = startPfm([...args, ...resumeArgs()]);
      const ahead = [30, 60, 90, 120, 150, 180, 210, 240, 270].filter((s) => s > (state.checkpointStep ?? 0) && s <= 210 + 30 * attempt);
      const last = attempt === 3 || ahead.length === 0;
      const target = last ? 300 : ahead[Math.floor(random() * ahead.length)]!;
      const delay = Math.floor(random() * (last ? 20 : 25));
      const started = await run.waitForStderr(new RegExp(`^step\\s+${target}/300 `, 'm')).then(
        () => true,
        () => false,
      );
      if (started) {
        await sleep(delay);
        run.child.kill('SIGKILL');
      }
      const result: PfmResult = await run.done;
      if (result.signal === null) expect(result.code, result.stderr).toBe(0);
      state = await checkFilesOnDisk(dir, out, previous);
      kills.push(`step ${target} +${delay} ms: ${result.signal ?? `exit ${result.code}`}, checkpoint step ${state.checkpointStep ?? 'none'}`);
    }
    if (process.env.PFM_TEST_VERBOSE) console.log(kills.join('\n'));
    expect(kills.filter((k) => k.includes('SIGKILL')).length, kills.join('; ')).toBeGreaterThanOrEqual(3);
    if (!state.modelReplaced) {
      const finished = await runPfm([...args, ...resumeArgs()]);
      expect(finished.code, finished.stderr).toBe(0);
    }
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
    expect(readdirSync(dir).filter((n) => n.startsWith('.pfm-tmp-'))).toEqual([]);
  });

  it('a full disk while writing the model or a checkpoint fails cleanly: the previous files stay byte for byte', async () => {
    const dir = scratchDir();
    const out = join(dir, 'model.json');
    const checkpoint = `${out}.ckpt.json`;
    const previous = Buffer.from(JSON.stringify({ ...readJson(fx.model), training: { status: 'earlier run' } }));
    writeFileSync(out, previous);
    const args = ['train', '--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--checkpoint-every', '10', '--quiet', '--out', out];

    // The disk fills up after two checkpoints: the third cannot be written.
    const full = await runPfm(args, { faults: [{ op: 'write', match: '.pfm-tmp-model.json.ckpt.json-', code: 'ENOSPC', skip: 2 }] });
    expect(errorLineOf(full)).toBe(`pfm train: cannot write "${checkpoint}": no space left on the device`);
    expect(readFileSync(out).equals(previous)).toBe(true);
    const { checkpoint: saved } = decodeCheckpoint(readFileSync(checkpoint, 'utf8'), checkpoint);
    expect(saved.step).toBe(20);
    disposeCheckpoint(saved);
    const savedBytes = readFileSync(checkpoint);

    // Resumed with a disk that is full when the model is written: the checkpoint and the previous model stay.
    const resumeArgs = [...args.filter((a) => a !== '--checkpoint-every' && a !== '10'), '--resume', checkpoint];
    const noRoom = await runPfm(resumeArgs, { faults: [{ op: 'write', match: '.pfm-tmp-model.json-', code: 'ENOSPC' }] });
    expect(errorLineOf(noRoom)).toBe(`pfm train: cannot write "${out}": no space left on the device`);
    expect(readFileSync(out).equals(previous)).toBe(true);
    expect(readFileSync(checkpoint).equals(savedBytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.json.ckpt.json']);

    // With room again, the same command ends on the uninterrupted model.
    const resumed = await runPfm(resumeArgs);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
  });

  it('too little free space or an unwritable directory is reported before training starts; nothing is written', async () => {
    const dir = scratchDir();
    const out = join(dir, 'model.json');
    const previous = Buffer.from('{"an": "earlier file"}');
    writeFileSync(out, previous);
    const args = ['train', '--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--out', out];
    const small = await runPfm(args, { faults: [{ op: 'statfs', free: 16 * 1024 }] });
    expect(errorLineOf(small)).toMatch(
      new RegExp(`^pfm train: cannot write "${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": not enough free space in ".*": about [\\d.]+ KiB needed, 16\\.0 KiB free$`),
    );
    expect(small.stderr).not.toMatch(/^training /m);
    const denied = await runPfm(args, { faults: [{ op: 'open', match: '.pfm-tmp-check-', code: 'EACCES' }] });
    expect(errorLineOf(denied)).toBe(`pfm train: cannot write "${out}": cannot create files there (permission denied in "${dir}")`);
    expect(denied.stderr).not.toMatch(/^training /m);
    expect(readdirSync(dir)).toEqual(['model.json']);
    expect(readFileSync(out).equals(previous)).toBe(true);
  });

  it('a checkpoint refuses other data (shape and hash) and warns on another backend', async () => {
    const dir = scratchDir();
    const lines = readFileSync(fx.data, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/^-?[\d.]+/, '0.125'); // one value changed, same shape
    writeFileSync(join(dir, 'other.csv'), lines.join('\n'));
    const out = join(dir, 'model.json');
    const other = await runPfm(['train', '--data', join(dir, 'other.csv'), '--backend', 'cpu', '--resume', fx.checkpoint, '--out', out]);
    expect(errorLineOf(other)).toMatch(
      new RegExp(
        `^pfm train: --resume ${fx.checkpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the checkpoint was made on other data \\(256×2, hash ([0-9a-f]{16})\\) than this run's \\(256×2, hash (?!\\1)[0-9a-f]{16}\\); resume on the same data set$`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    expect(readJson(fx.checkpoint).data).toMatchObject({ rows: 256, cols: 2 });
    expect(readJson(fx.checkpoint).backend).toBe('cpu');

    const wasm = await runPfm(['train', '--data', fx.data, '--backend', 'wasm', '--resume', fx.checkpoint, '--quiet', '--out', out]);
    expect(wasm.code, wasm.stderr).toBe(0);
    expect(wasm.stderr).toBe(
      'warning: resume: the checkpoint was made on the "cpu" backend and this run uses "wasm"; it continues, but is not bitwise identical to an uninterrupted run\n',
    );
    expect(readJson(out).training).toMatchObject({ backend: 'wasm', resumedAtStep: 200, data: readJson(fx.model).training.data });
  });

  it('--on-divergence rollback rolls back with a lower learning rate, then gives up after --max-rollbacks', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'explode.json'), JSON.stringify({ method: 'explode', options: { at: 4 }, batchSize: 16, seed: 1, steps: 50 }));
    const common = ['--data', fx.data, '--config', join(dir, 'explode.json'), '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu'];
    const out = join(dir, 'diverged.json');
    const r = await runPfm(['train', ...common, '--on-divergence', 'rollback', '--max-rollbacks', '2', '--rollback-lr-factor', '0.25', '--out', out]);
    expect(errorLineOf(r)).toBe(
      `pfm train: training diverged at step 5: player "generator" loss is Infinity; parameters kept from step 4 (try a lower learning rate or gradient clipping); stopped after 2 rollback(s), the most allowed (divergence.maxRollbacks); saved them to ${out}`,
    );
    expect(r.stderr).toContain('step 5: diverged; rolled back to step 0 with the learning rate times 0.25 (rollback 1 of 2)\n');
    expect(r.stderr).toContain('step 5: diverged; rolled back to step 0 with the learning rate times 0.0625 (rollback 2 of 2)\n');
    const saved = readJson(out);
    expect(saved.training).toMatchObject({ status: 'diverged', steps: 4, rollbacks: 2 });
    expect(saved.training.recipe.divergence).toEqual({ action: 'rollback', lrFactor: 0.25, maxRollbacks: 2, snapshotEvery: 50 });
    expect(errorLineOf(await runPfm(['train', ...common, '--on-divergence', 'retry', '--out', out]))).toBe(
      'pfm train: --on-divergence must be "stop" or "rollback", got "retry"',
    );
    expect(errorLineOf(await runPfm(['train', ...common, '--rollback-lr-factor', '1', '--out', out]))).toBe(
      'pfm train: --rollback-lr-factor must be a number in (0, 1), got "1"',
    );
  });
});
