#!/usr/bin/env node
// Runs `changeset version` on a throwaway copy of the workspace's manifests and changesets, so a
// malformed changeset (bad frontmatter, an unknown package, a bump that is not patch / minor /
// major) fails the check here rather than at release time. Nothing in the repository changes.
//
//   node scripts/check-changesets.mjs              check .changeset/*.md
//   node scripts/check-changesets.mjs --self-test  also prove that a malformed changeset fails
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const changesetBin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');

/** Copies what `changeset version` reads (manifests, workspace file, .changeset) into `dir`. */
function copyWorkspace(dir) {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) copyFileSync(join(root, file), join(dir, file));
  cpSync(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const manifest = join(root, group, name, 'package.json');
      if (!existsSync(manifest)) continue;
      mkdirSync(join(dir, group, name), { recursive: true });
      copyFileSync(manifest, join(dir, group, name, 'package.json'));
      const changelog = join(root, group, name, 'CHANGELOG.md');
      if (existsSync(changelog)) copyFileSync(changelog, join(dir, group, name, 'CHANGELOG.md'));
    }
  }
}

/** The package names in a changeset's frontmatter. */
function namedPackages(text) {
  const front = /^---\n([\s\S]*?)\n---/.exec(text);
  return front ? [...front[1].matchAll(/^\s*["']?([^"':]+)["']?\s*:/gm)].map((m) => m[1].trim()) : [];
}

/** `changeset version` in a copy; returns the bumped packages, or throws with changesets' output. */
function versionCopy(extraChangesets = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pfm-changesets-'));
  try {
    copyWorkspace(dir);
    for (const [name, text] of Object.entries(extraChangesets)) writeFileSync(join(dir, '.changeset', name), text);
    const pending = readdirSync(join(dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    try {
      execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
      throw new Error(`changeset version failed:\n${output || error.message}`);
    }
    // Changesets naming only ignored packages (the apps) stay, by design of `ignore`; any other
    // changeset left behind was not applied.
    const { ignore = [] } = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
    const left = readdirSync(join(dir, '.changeset'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .filter((f) => !namedPackages(readFileSync(join(dir, '.changeset', f), 'utf8')).every((name) => ignore.includes(name)));
    if (left.length > 0) throw new Error(`changeset version left ${left.join(', ')} unconsumed`);
    const bumped = [];
    for (const group of ['packages', 'apps']) {
      for (const name of readdirSync(join(dir, group))) {
        const before = JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8'));
        const after = JSON.parse(readFileSync(join(dir, group, name, 'package.json'), 'utf8'));
        if (before.version !== after.version) bumped.push(`${after.name} ${before.version} → ${after.version}`);
      }
    }
    return { pending: pending.length, bumped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
if (process.argv.includes('--self-test')) {
  const broken = {
    'unknown package': '---\n"@pfm/no-such-package": minor\n---\n\nA package that does not exist.\n',
    'bad bump': '---\n"@pfm/core": huge\n---\n\nNot a semver bump.\n',
    'no frontmatter end': '---\n"@pfm/core": patch\n\nThe frontmatter never closes.\n',
  };
  for (const [what, text] of Object.entries(broken)) {
    let failed = false;
    try {
      versionCopy({ 'zz-self-test.md': text });
    } catch (error) {
      failed = true;
      console.log(`     ${String(error.message).split('\n').filter(Boolean).slice(0, 2).join(' | ').slice(0, 200)}`);
    }
    if (!failed) {
      console.error(`check-changesets --self-test: a changeset with ${what} passed`);
      process.exit(1);
    }
    console.log(`ok   a changeset with ${what} fails`);
  }
}
try {
  const { pending, bumped } = versionCopy();
  console.log(`check-changesets: ${pending} changesets apply cleanly (${((Date.now() - started) / 1000).toFixed(1)} s); they would release:`);
  for (const line of bumped) console.log(`  ${line}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
