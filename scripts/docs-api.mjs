#!/usr/bin/env node
// The API reference, generated from the TSDoc with typedoc: one module per published package,
// documenting exactly its entry points (the `exports` map: `@pfm/core`, `@pfm/core/node`,
// `@pfm/core/testing`, …), written to docs/api/ (git-ignored). Every typedoc warning — a broken
// {@link}, a public type referring to one that is not exported — fails the run.
//
//   node scripts/docs-api.mjs         write docs/api/index.html
//   node scripts/docs-api.mjs --json  also keep the per-package JSON models in docs/api/json/
//
// Each package is converted on its own (its sources only, no tests; type errors are the
// typecheck task's job), then the models are merged into one site.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Application, LogLevel } from 'typedoc';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs', 'api');

// Symbols that are private on purpose although a public type mentions them, by package. Each is
// a known gap to close in the source (export the symbol or inline the type), not a default.
const INTENTIONALLY_NOT_EXPORTED = {
  // WasmBinaryPaths is keyed by the names in this private constant.
  '@pfm/backend-wasm': ['BINARY_NAMES'],
};

/** The source file of each `exports` entry: `./dist/testing.js` → `src/testing.ts`. */
function entryPoints(dir, pkg) {
  const files = new Set();
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath.endsWith('package.json')) continue;
    const js = typeof target === 'string' ? target : target?.import?.default ?? target?.default;
    const match = typeof js === 'string' ? /^\.\/dist\/(.+)\.js$/.exec(js) : null;
    if (!match) throw new Error(`docs-api: ${pkg.name}: cannot map exports["${subpath}"] to a source file`);
    const source = join(dir, 'src', `${match[1]}.ts`);
    if (!existsSync(source)) throw new Error(`docs-api: ${pkg.name}: exports["${subpath}"] → ${source} does not exist`);
    files.add(source);
  }
  return [...files];
}

/** Fails on any warning or error typedoc logged. */
function assertClean(app, what) {
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    throw new Error(`docs-api: ${what}: typedoc reported ${app.logger.errorCount} error(s) and ${app.logger.warningCount} warning(s) (above)`);
  }
}

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'pfm-docs-api-'));
try {
  const models = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    // The package's compiler options over its sources only: tests and configs stay out.
    const tsconfig = join(work, `${name}.tsconfig.json`);
    writeFileSync(tsconfig, JSON.stringify({ extends: join(dir, 'tsconfig.json'), include: [join(dir, 'src')], exclude: [join(dir, 'src', '**', '*.test.ts')] }));
    const app = await Application.bootstrapWithPlugins({
      name: pkg.name,
      entryPoints: entryPoints(dir, pkg),
      tsconfig,
      readme: 'none',
      skipErrorChecking: true,
      excludePrivate: true,
      excludeInternal: true,
      excludeExternals: true,
      // No public repository address yet, so no source links: typedoc would otherwise ask git for a
      // remote and warn in a checkout that has none.
      disableSources: true,
      intentionallyNotExported: INTENTIONALLY_NOT_EXPORTED[pkg.name] ?? [],
      logLevel: LogLevel.Warn,
    });
    const project = await app.convert();
    if (!project) throw new Error(`docs-api: ${pkg.name}: typedoc could not convert the package (above)`);
    app.validate(project);
    assertClean(app, pkg.name);
    const model = join(work, `${name}.json`);
    await app.generateJson(project, model);
    models.push(model);
    console.log(`  ${pkg.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  rmSync(out, { recursive: true, force: true });
  const site = await Application.bootstrapWithPlugins({
    name: 'pfm',
    entryPointStrategy: 'merge',
    entryPoints: models,
    readme: 'none',
    out,
    logLevel: LogLevel.Warn,
  });
  const merged = await site.convert();
  if (!merged) throw new Error('docs-api: typedoc could not merge the package models (above)');
  site.validate(merged);
  assertClean(site, 'merge');
  await site.generateDocs(merged, out);
  assertClean(site, 'render');
  if (process.argv.includes('--json')) {
    mkdirSync(join(out, 'json'), { recursive: true });
    for (const model of models) writeFileSync(join(out, 'json', model.split('/').pop()), readFileSync(model));
  }
  console.log(`docs-api: ${models.length} packages documented in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s, no warnings)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
