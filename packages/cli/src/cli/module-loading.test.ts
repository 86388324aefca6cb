// What `pfm` loads before it does anything: a command's module and the libraries it computes
// with (tfjs, zod, the plugins' packages, protobufjs for ONNX, pngjs) load only when that command runs.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePngGrid } from '@pfm/datasets/node';
import { describe, expect, it } from 'vitest';
import { PFM_BIN } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const MODULE_TRACE = fileURLToPath(new URL('../test-support/module-trace.mjs', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const HEAVY = /@tensorflow\/tfjs-core|\/packages\/(core|datasets|flows|ipm|likelihood|onnx|plugins|backend-[a-z]+)\/dist\/|\/zod\/|\/protobufjs\/|\/pngjs\//;

/** Runs `pfm ...args` and returns its exit code and the URLs of the modules it loaded. */
function traceModules(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  return traceProcess([PFM_BIN, ...args]);
}

/** Runs `node ...args` with the module trace and returns its exit code and the URLs of the modules it loaded. */
function traceProcess(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const trace = join(scratchDir(), 'modules.txt');
  return new Promise((resolve, reject) => {
    const options = { cwd: PACKAGE_DIR, env: { ...process.env, PFM_TEST_MODULE_TRACE: trace } };
    execFile(process.execPath, ['--import', MODULE_TRACE, ...args], options, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (error && code === null) return reject(new Error(`${error.message}\n${stderr}`));
      let text = '';
      try {
        text = readFileSync(trace, 'utf8');
      } catch (cause) {
        return reject(new Error(`no module trace written: ${(cause as Error).message}\n${stderr}`));
      }
      resolve({ code, modules: text.split('\n').filter((line) => line !== '') });
    });
  });
}

/** Runs an ES module script (from this package's folder, so it resolves its dependencies) and returns the modules it loaded. */
function traceScript(source: string): Promise<{ code: number | null; modules: string[] }> {
  return traceProcess(['--input-type=module', '--eval', source]);
}

describe('module loading of pfm (the built executable)', () => {
  it('--help, --version and an unknown command load no command module, no tfjs and no plugin', async () => {
    const [help, version, unknown] = await Promise.all([traceModules(['--help']), traceModules(['--version']), traceModules(['trian'])]);
    expect([help.code, version.code, unknown.code]).toEqual([0, 0, 2]);
    for (const { modules } of [help, version, unknown]) {
      expect(modules.some((url) => url.endsWith('/dist/bin.js'))).toBe(true);
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
    }
  });

  it('pfm <command> --help and pfm help <command> load no tfjs and no plugin for train, sample, eval and logprob', async () => {
    const runs = await Promise.all([
      ...['train', 'sample', 'eval', 'logprob'].map((name) => traceModules([name, '--help'])),
      traceModules(['help', 'train']),
      traceModules(['sample', '--model', 'm.json', '-h']),
    ]);
    for (const { code, modules } of runs) {
      expect(code).toBe(0);
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
      // Nor a worker thread (whose module is an entry of its own, dist/command-worker.js).
      expect(modules.filter((url) => url.endsWith('/dist/command-worker.js'))).toEqual([]);
    }
  });

  it('pngjs loads only when a PNG is read or written: not for pfm list (which builds the data set registry), yes for a PNG folder', async () => {
    const listed = await traceModules(['list', '--kind', 'dataset']);
    expect(listed.code).toBe(0);
    // The registry's data sets come from @pfm/datasets/node, the entry that also reads and writes PNGs.
    expect(listed.modules.some((url) => /\/packages\/datasets\/dist\/node\.js$/.test(url))).toBe(true);
    expect(listed.modules.filter((url) => /\/pngjs\//.test(url))).toEqual([]);
    // The same trace sees pngjs when a PNG folder is read (the run then stops at once: 3 labels for 2 images).
    const dir = scratchDir();
    const folder = join(dir, 'pngs');
    mkdirSync(folder);
    for (let i = 0; i < 2; i++) writeFileSync(join(folder, `${i}.png`), encodePngGrid({ rows: 1, cols: 4, values: new Float32Array(4).fill(i / 2), shape: [2, 2, 1] }));
    writeFileSync(join(dir, 'labels.csv'), '0\n1\n0\n');
    const trained = await traceModules(['train', '--data', folder, '--labels', join(dir, 'labels.csv'), '--method', 'flow-matching', '--backend', 'cpu', '--out', join(dir, 'm.json')]);
    expect(trained.code).toBe(2);
    expect(trained.modules.some((url) => /\/pngjs\//.test(url))).toBe(true);
  });

  it('the file writer of the main thread, @pfm/core/files, loads no tfjs (@pfm/core/node does)', async () => {
    const light = await traceScript("const { writeFileAtomic, checkWritable } = await import('@pfm/core/files'); if (typeof writeFileAtomic !== 'function' || typeof checkWritable !== 'function') process.exit(3);");
    expect(light.code).toBe(0);
    expect(light.modules.some((url) => /\/packages\/core\/dist\/files\.js$/.test(url))).toBe(true);
    expect(light.modules.filter((url) => url.includes('@tensorflow/tfjs-core'))).toEqual([]);
    // The old entry still exports it, with the readers of data and models, and tfjs with them.
    const full = await traceScript("const { writeFileAtomic } = await import('@pfm/core/node'); if (typeof writeFileAtomic !== 'function') process.exit(3);");
    expect(full.code).toBe(0);
    expect(full.modules.some((url) => url.includes('@tensorflow/tfjs-core'))).toBe(true);
  });

  it('a command loads what it needs when it runs: pfm help list loads its module and with it tfjs', async () => {
    // The same trace sees tfjs when a command's module is loaded, so the test above can fail.
    const { code, modules } = await traceModules(['help', 'list']);
    expect(code).toBe(0);
    expect(modules.some((url) => url.includes('@tensorflow/tfjs-core'))).toBe(true);
    expect(modules.some((url) => /\/protobufjs\//.test(url))).toBe(false);
  });
});
