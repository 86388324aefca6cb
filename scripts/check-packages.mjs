#!/usr/bin/env node
// Packaging check for every published @pfm package:
//   1. publint and @arethetypeswrong/cli on the packed tarball;
//   2. `pnpm pack` each package, install all tarballs into an empty npm project outside the
//      workspace, then import and use them from Node ESM and Node CJS.
// It packs the built files, so it first checks that every file a manifest points at exists and,
// where some are missing, names the packages to build and the command instead of failing later.
//
//   node scripts/check-packages.mjs              check every package
//   node scripts/check-packages.mjs --self-test  prove only that an unbuilt package is reported
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', timeout: 600_000, ...opts });

/** The published packages under `packagesDir`: `{ dir, pkg }` (pkg: the parsed manifest). */
export function publishedPackages(packagesDir) {
  return readdirSync(packagesDir)
    .map((dir) => join(packagesDir, dir))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** The files a manifest points at (`main`, `module`, `types`, `bin`, every `exports` target), relative to its package, without `./`. */
export function manifestFiles(pkg) {
  const files = new Set();
  const add = (target) => {
    if (typeof target === 'string') {
      // A pattern (`./dist/*.js`) names no single file; package.json is always there.
      if (target.startsWith('./') && !target.includes('*') && target !== './package.json') files.add(target.slice(2));
    } else if (target && typeof target === 'object') {
      for (const value of Object.values(target)) add(value);
    }
  };
  for (const field of ['main', 'module', 'types', 'typings']) add(typeof pkg[field] === 'string' && !pkg[field].startsWith('./') ? `./${pkg[field]}` : pkg[field]);
  add(typeof pkg.bin === 'string' ? pkg.bin : pkg.bin ?? undefined);
  add(pkg.exports);
  return [...files].sort();
}

/** The packages some of whose manifest files are missing: `{ name, dir, missing }`. */
export function unbuiltPackages(packages) {
  return packages
    .map(({ dir, pkg }) => ({ name: pkg.name, dir, missing: manifestFiles(pkg).filter((file) => !existsSync(join(dir, file))) }))
    .filter(({ missing }) => missing.length > 0);
}

/** What to tell the user about `unbuilt` (see unbuiltPackages): which packages, which files, and the command that builds them. */
export function unbuiltMessage(unbuilt, workspaceRoot) {
  const lines = unbuilt.map(({ name, dir, missing }) => {
    const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    return `  ${name} (${relative(workspaceRoot, dir)}): missing ${shown}`;
  });
  const one = unbuilt[0].name;
  return [
    `check-packages: ${unbuilt.length === 1 ? `${one} is` : `${unbuilt.length} packages are`} not built (the check packs the built files):`,
    ...lines,
    `Build first: pnpm build (every package), or pnpm exec turbo run build --filter=${one}... (one package and what it needs).`,
  ].join('\n');
}

/** --self-test: an unbuilt package is named with its missing file and the command; once built it is not. */
function selfTest() {
  const dir = mkdtempSync(join(tmpdir(), 'pfm-check-packages-'));
  try {
    const pkgDir = join(dir, 'demo');
    mkdirSync(pkgDir);
    const pkg = {
      name: '@pfm/self-test',
      main: './dist/index.cjs',
      types: './dist/index.d.ts',
      bin: { demo: './dist/bin.js' },
      exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } }, './package.json': './package.json', './*': './dist/*.js' },
    };
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pkg));
    const expectFiles = ['dist/bin.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.js'];
    const found = manifestFiles(pkg);
    if (JSON.stringify(found) !== JSON.stringify(expectFiles)) throw new Error(`check-packages --self-test: manifest files ${JSON.stringify(found)}, expected ${JSON.stringify(expectFiles)}`);
    const unbuilt = unbuiltPackages(publishedPackages(dir));
    const message = unbuilt.length === 1 ? unbuiltMessage(unbuilt, dir) : '';
    for (const part of ['@pfm/self-test is not built', '@pfm/self-test (demo): missing dist/bin.js, dist/index.cjs, dist/index.d.ts and 1 more', 'pnpm build', '--filter=@pfm/self-test...']) {
      if (!message.includes(part)) throw new Error(`check-packages --self-test: the message does not say "${part}":\n${message}`);
    }
    mkdirSync(join(pkgDir, 'dist'));
    for (const file of expectFiles) writeFileSync(join(pkgDir, file), '');
    const after = unbuiltPackages(publishedPackages(dir));
    if (after.length !== 0) throw new Error(`check-packages --self-test: a built package is reported unbuilt: ${JSON.stringify(after)}`);
    console.log('check-packages --self-test: ok (an unbuilt package is named with its missing files and the build command)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--self-test')) {
  selfTest();
  process.exit(0);
}

const packages = publishedPackages(join(root, 'packages'));
const unbuilt = unbuiltPackages(packages);
if (unbuilt.length > 0) {
  console.error(unbuiltMessage(unbuilt, root));
  process.exit(1);
}

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
