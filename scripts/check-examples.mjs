#!/usr/bin/env node
// Every ```ts and ```js block of the documentation is a program a reader may paste: this script
// type-checks each one with `tsc --strict` and runs it with Node, as a fresh ESM project would.
//
//   node scripts/check-examples.mjs               check README.md, packages/*/README.md,
//                                                 apps/*/README.md and docs/**/*.md
//   node scripts/check-examples.mjs FILE.md …     check only these files
//   node scripts/check-examples.mjs --self-test   prove that a broken block fails the check
//   --jobs=N                                      pages run side by side (default 3)
//   --verbose                                     print what each block printed
//
// Fence markers (after the language on the opening fence line):
//   no-run        type-checked but not run (needs a browser, a GPU or minutes; say why beside it)
//   fragment      skipped entirely (a signature, a partial snippet); use sparingly
//   file=NAME     the block is written as NAME (e.g. file=mean-matching.ts), so later blocks of
//                 the same page can import it (as ./mean-matching.js) or hand it to `pfm --plugin`;
//                 such a module is type-checked and runs where a later block imports it, not alone
//
// The blocks of one markdown file share one directory and run in page order, so a later block may
// use a file an earlier one wrote. Each page gets its own directory in a throwaway project (under
// the OS temp directory) with "type": "module" and symlinks to the workspace's built packages:
// build them first (`pnpm build`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
// Examples run in seconds; the margin is for a loaded machine.
const RUN_TIMEOUT_MS = 120_000;

/** Markdown files whose code blocks are checked, relative to the repository root. */
export function documentationFiles() {
  const files = [];
  const add = (path) => existsSync(join(root, path)) && files.push(path);
  add('README.md');
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group)).sort()) add(`${group}/${dir}/README.md`);
  }
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${entry.name}`;
      // docs/api is typedoc's generated output, not prose.
      if (entry.isDirectory() && path !== 'docs/api') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

const LANGUAGES = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' };

/**
 * The ```ts / ```js blocks of a markdown text: `{ line, language, code, noRun, file }`, where
 * `line` is the 1-based line of the first line of code. Fragments are left out.
 */
export function extractBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([A-Za-z]*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    const closing = new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && closing.test(l));
    const close = end === -1 ? lines.length : end;
    const language = LANGUAGES[lang.toLowerCase()];
    const flags = rest.trim().split(/\s+/).filter(Boolean);
    if (language && !flags.includes('fragment')) {
      const fileFlag = flags.find((f) => f.startsWith('file='));
      const unknown = flags.filter((f) => f !== 'no-run' && !f.startsWith('file='));
      if (unknown.length > 0) throw new Error(`line ${i + 1}: unknown fence marker(s) ${unknown.join(', ')}; expected no-run, fragment or file=NAME`);
      blocks.push({
        line: i + 2,
        language,
        code: lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n'),
        noRun: flags.includes('no-run'),
        file: fileFlag?.slice('file='.length),
      });
    }
    i = close;
  }
  return blocks;
}

const slug = (path) => path.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** Links `name` (a package directory) into `project/node_modules`. */
function link(project, name, target) {
  const at = join(project, 'node_modules', name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(realpathSync(target), at, 'dir');
}

/** Where a dependency of the workspace's packages is installed (pnpm keeps them per package). */
function findInstalled(name) {
  for (const base of [root, ...readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d))]) {
    const at = join(base, 'node_modules', name);
    if (existsSync(at)) return at;
  }
  throw new Error(`check-examples: ${name} is not installed in the workspace (run pnpm install)`);
}

/** A fresh ESM project resolving the workspace's built packages; returns its directory. */
function createProject(work) {
  const project = join(work, 'project');
  mkdirSync(project, { recursive: true });
  const dependencies = {};
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
    if (!existsSync(join(root, 'packages', dir, 'dist'))) {
      throw new Error(`check-examples: ${name} has no dist/ — build the packages first (pnpm build)`);
    }
    link(project, name, join(root, 'packages', dir));
    dependencies[name] = `file:${relative(project, join(root, 'packages', dir))}`;
  }
  // What a user installs beside the packages: the tfjs-core peer, zod for plugin schemas, Node's types,
  // onnxruntime-node to sample exported ONNX models, webgpu (Dawn) for WebGPU in Node.
  for (const name of ['@tensorflow/tfjs-core', 'zod', '@types/node', 'onnxruntime-node', 'webgpu']) link(project, name, findInstalled(name));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pfm-examples', private: true, type: 'module', dependencies }, null, 2));
  return project;
}

const COMPILER_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  allowJs: true,
  checkJs: true,
  types: ['node'],
  noEmitOnError: false,
};

/**
 * Writes every block of `pages` ({ path, text }) into `project`, type-checks them in one program,
 * runs the runnable ones, and returns the failures as `{ where, message }` (`where` is PATH:LINE).
 */
export async function checkPages(pages, project, { log = console.log, jobs = 3, verbose = false } = {}) {
  const failures = [];
  const units = [];
  for (const page of pages) {
    let blocks;
    try {
      blocks = extractBlocks(page.text);
    } catch (error) {
      failures.push({ where: page.path, message: error.message });
      continue;
    }
    const dir = slug(page.path);
    for (const block of blocks) {
      const ext = block.language === 'ts' ? 'ts' : 'js';
      const name = block.file ?? `block-${String(block.line).padStart(4, '0')}.${ext}`;
      // A block without import or export would be a script: make it a module, so top-level
      // await works, as it does in a file of a "type": "module" project.
      const isModule = /^\s*(import|export)\s/m.test(block.code);
      const source = join(project, 'src', dir, name);
      mkdirSync(dirname(source), { recursive: true });
      writeFileSync(source, isModule ? `${block.code}\n` : `${block.code}\nexport {};\n`);
      const output = join(project, 'dist', dir, name.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'));
      units.push({ ...block, page: page.path, source, output, where: `${page.path}:${block.line}` });
    }
  }
  if (units.length === 0) return { failures, checked: 0, ran: 0 };

  const started = Date.now();
  const program = ts.createProgram(
    units.map((u) => u.source),
    { ...COMPILER_OPTIONS, rootDir: join(project, 'src'), outDir: join(project, 'dist') },
  );
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  const bySource = new Map(units.map((u) => [realpathSync(u.source), u]));
  const broken = new Set();
  for (const d of diagnostics) {
    const unit = d.file ? bySource.get(realpathSync(d.file.fileName)) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!unit) {
      failures.push({ where: d.file ? relative(project, d.file.fileName) : 'tsc', message: `TS${d.code}: ${text}` });
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    broken.add(unit);
    failures.push({ where: `${unit.page}:${unit.line + line}:${character + 1}`, message: `TS${d.code}: ${text}` });
  }
  log(`type-checked ${units.length} blocks in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Pages run side by side (their blocks in order); most of a block's time is Node loading tfjs.
  const queue = [...new Set(units.map((u) => u.page))].map((page) => units.filter((u) => u.page === page));
  let ran = 0;
  const worker = async () => {
    for (let blocks = queue.shift(); blocks; blocks = queue.shift()) {
      for (const unit of blocks) {
        if (unit.noRun || unit.file || broken.has(unit)) continue;
        const t0 = Date.now();
        const result = await runNode(unit.output, dirname(unit.output));
        ran++;
        const seconds = ((Date.now() - t0) / 1000).toFixed(1);
        if (result.code !== 0) {
          const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
          failures.push({ where: unit.where, message: `exited with ${result.code}${result.timedOut ? ` (killed after ${RUN_TIMEOUT_MS / 1000} s)` : ''}:\n${tail}` });
          log(`  FAIL ${unit.where} (${seconds} s)`);
        } else {
          log(`  ok   ${unit.where} (${seconds} s)`);
          if (verbose && result.stdout.trim()) log(result.stdout.trim().replace(/^/gm, '       '));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return { failures, checked: units.length, ran };
}

function runNode(file, cwd) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? signal, stdout, stderr, timedOut });
    });
  });
}

// Pages that must fail, each for one reason, and one that must pass: if the checker ever stops
// catching type errors, run-time errors or a type error in a no-run block, --self-test fails.
const SELF_TEST = [
  {
    path: 'self-test/type-error.md',
    expect: 'fail',
    text: "# A type error\n\n```ts\nimport { createRng } from '@pfm/core';\nconst seed: string = createRng(0).normalArray(1).length;\nconsole.log(seed);\n```\n",
  },
  {
    path: 'self-test/throws.md',
    expect: 'fail',
    text: "# Fails at run time\n\n```ts\nimport { createRegistry } from '@pfm/core';\ncreateRegistry().get('objective', 'no-such-objective');\n```\n",
  },
  {
    path: 'self-test/no-run-type-error.md',
    expect: 'fail',
    text: "# no-run is still type-checked\n\n```ts no-run\nconst n: number = 'three';\nconsole.log(n);\n```\n",
  },
  {
    path: 'self-test/unknown-marker.md',
    expect: 'fail',
    text: '# A misspelt marker\n\n```ts norun\nconsole.log(1);\n```\n',
  },
  {
    path: 'self-test/passes.md',
    expect: 'pass',
    text:
      "# Good blocks\n\n```ts file=answer.ts\nexport const answer = 42;\n```\n\n```ts\nimport { answer } from './answer.js';\nif (answer !== 42) throw new Error('wrong');\n```\n\n" +
      "```ts no-run\nthrow new Error('never run');\n```\n\n```ts fragment\nfunction f(x: number): string\n```\n\n```js\nconst n = 1 + 1;\nif (n !== 2) process.exit(1);\n```\n",
  },
];

async function main(argv) {
  const selfTest = argv.includes('--self-test');
  const jobsFlag = argv.find((a) => a.startsWith('--jobs='));
  const jobs = jobsFlag ? Number(jobsFlag.slice('--jobs='.length)) : 3;
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`check-examples: --jobs=${jobsFlag?.slice(7)}: expected a positive integer`);
  const paths = argv.filter((a) => !a.startsWith('--'));
  const work = mkdtempSync(join(tmpdir(), 'pfm-examples-'));
  const started = Date.now();
  try {
    const project = createProject(work);
    if (selfTest) {
      // One program for all cases (one tsc run), then each case judged by its own failures.
      const { failures } = await checkPages(SELF_TEST, project, { log: () => {}, jobs });
      let wrong = 0;
      for (const page of SELF_TEST) {
        const own = failures.filter((f) => f.where === page.path || f.where.startsWith(`${page.path}:`));
        const failed = own.length > 0;
        const right = failed === (page.expect === 'fail');
        if (!right) wrong++;
        console.log(`${right ? 'ok  ' : 'FAIL'} ${page.path}: expected to ${page.expect}, ${failed ? `failed (${own[0].message.split('\n').filter(Boolean).slice(-1)[0]})` : 'passed'}`);
      }
      const stray = failures.filter((f) => !SELF_TEST.some((p) => f.where.startsWith(p.path)));
      for (const f of stray) console.error(`${f.where}: ${f.message}`);
      wrong += stray.length;
      if (wrong > 0) throw new Error(`check-examples --self-test: ${wrong} of ${SELF_TEST.length} cases went the wrong way`);
      console.log(`check-examples --self-test: ${SELF_TEST.length} cases as expected (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return 0;
    }
    const files = paths.length > 0 ? paths.map((p) => relative(root, resolve(p))) : documentationFiles();
    const pages = files.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
    const { failures, checked, ran } = await checkPages(pages, project, { jobs, verbose: argv.includes('--verbose') });
    for (const f of failures) console.error(`\n${f.where}: ${f.message}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length > 0) {
      console.error(`\ncheck-examples: ${failures.length} problem(s) in ${checked} blocks of ${files.length} files (${seconds} s)`);
      return 1;
    }
    console.log(`check-examples: ${checked} blocks of ${files.length} files type-check, ${ran} ran (${seconds} s)`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && basename(process.argv[1]) === 'check-examples.mjs') {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
