#!/usr/bin/env node
// Packaging check for every published @pfm package:
//   1. publint and @arethetypeswrong/cli on the packed tarball;
//   2. `pnpm pack` each package, install all tarballs into an empty npm project outside the
//      workspace, then import and use them from Node ESM and Node CJS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', timeout: 600_000, ...opts });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

const work = mkdtempSync(join(tmpdir(), 'pfm-pack-'));
try {
  const tarballs = {};
  for (const { dir, pkg } of packages) {
    console.log(`\n== ${pkg.name}: publint, attw`);
    // --pack npm: publint would otherwise look for pnpm on PATH to list the packed files.
    run(bin('publint'), ['--strict', '--pack', 'npm'], { cwd: dir });
    const out = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', work], { cwd: dir, encoding: 'utf8' });
    const tgz = out.trim().split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.tgz')).pop();
    if (!tgz) throw new Error(`${pkg.name}: pnpm pack printed no tarball name:\n${out}`);
    const file = tgz.startsWith('/') ? tgz : join(work, tgz);
    // Node 16-style resolution cannot read an exports map; every consumer we support can.
    run(bin('attw'), [file, '--profile', 'node16', '--format', 'table-flipped']);
    tarballs[pkg.name] = file;
  }

  console.log('\n== install the tarballs into an empty project');
  const project = join(work, 'consumer');
  run('mkdir', ['-p', project]);
  const dependencies = { '@tensorflow/tfjs-core': '4.22.0' };
  for (const [name, file] of Object.entries(tarballs)) dependencies[name] = `file:${file}`;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0', dependencies }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });

  const smoke = (ext, importLine) => `${importLine}
const steps = 20;
const { createRng, mlp, train, gaussian } = core;
// Importing @pfm/core registers nothing; importing a backend package registers the gradients.
if (tf.getGradient('BatchMatMul') !== undefined) throw new Error('importing @pfm/core registered gradients');
await (${ext === 'cjs' ? "require('@pfm/backend-cpu')" : "await import('@pfm/backend-cpu')"}).cpu().init();
const rng = createRng(1);
const data = gaussian({ mean: [2, -1] }).sample(256, rng);
const net = mlp({ inputDim: 2, outputDim: 2, hidden: [8] }, rng);
const run = { players: [{ name: 'g', variables: net.variables, loss: ({ batch, rng }) => tf.tidy(() => tf.mean(tf.square(tf.sub(net.apply(rng.normal(batch.shape)), batch)))) }], model: {} };
const result = await train(run, data, { steps, batchSize: 64, seed: 0 });
if (result.steps !== steps || !(result.finalLoss < result.lossHistory[0])) throw new Error('training did not run');
const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([3]));
if (g.dataSync()[0] !== 6) throw new Error('gradients are not registered');
console.log('${ext}: ok, loss', result.lossHistory[0].toFixed(3), '->', result.finalLoss.toFixed(3));
`;
  writeFileSync(
    join(project, 'smoke.mjs'),
    smoke('mjs', `import * as tf from '@tensorflow/tfjs-core';\nimport * as core from '@pfm/core';`),
  );
  writeFileSync(
    join(project, 'smoke.cjs'),
    `(async () => {\n${smoke('cjs', `const tf = require('@tensorflow/tfjs-core');\nconst core = require('@pfm/core');`)}\n})().catch((e) => { console.error(e); process.exit(1); });`,
  );
  let imports = '';
  for (const name of Object.keys(tarballs)) {
    imports += `{ const m = await import('${name}'); if (Object.keys(m).length === 0) throw new Error('${name} exports nothing'); }\n`;
    imports += `{ const m = require('${name}'); if (Object.keys(m).length === 0) throw new Error('${name} (cjs) exports nothing'); }\n`;
  }
  writeFileSync(
    join(project, 'imports.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${imports}console.log('imports: ok (${Object.keys(tarballs).length} packages, ESM and CJS)');\n`,
  );
  for (const script of ['smoke.mjs', 'smoke.cjs', 'imports.mjs']) run('node', [script], { cwd: project });
  console.log('\npackage check: ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}
