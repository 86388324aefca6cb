// Unwritable outputs with real file systems, not injected errors: a directory without write
// permission, a read-only file system and a full one (small tmpfs mounts). Every command that
// writes says the real cause in one line, exits 2 and leaves nothing behind. Mounting needs
// root (CAP_SYS_ADMIN): where it fails those tests are skipped, and the permission test runs the
// command as an unprivileged user when the tests run as root (root ignores permission bits).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { errorLineOf, PFM_BIN, runPfm, type PfmResult } from '../test-support/run-pfm.js';

const fx = inject('fixtures');
const isRoot = process.getuid?.() === 0;
/** The uid and gid of `nobody` on Linux. */
const NOBODY = 65534;

// A world-readable directory of inputs (the fixtures directory is private to its owner).
const base = mkdtempSync(join(tmpdir(), 'pfm-cli-unwritable-'));
chmodSync(base, 0o755);
for (const [from, name] of [
  [fx.model, 'model.json'],
  [fx.data, 'data.csv'],
] as const) {
  copyFileSync(from, join(base, name));
  chmodSync(join(base, name), 0o644);
}
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir], { stdio: 'ignore' });
  rmSync(base, { recursive: true, force: true });
});

/** Mounts a tmpfs with `options` on a new directory of `base`; undefined where mounting is not allowed. */
function mountTmpfs(name: string, options: string): string | undefined {
  const dir = join(base, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounted.push(dir);
  return dir;
}
const canMount = process.platform === 'linux' && isRoot && mountTmpfs('probe', 'size=4k') !== undefined;

/**
 * Whether `nobody` can start the built command line: a checkout in a directory private to root
 * (a `mktemp -d` folder is 0700) cannot be read by it, and the permission test cannot run there.
 */
function nobodyRunsCli(): boolean {
  try {
    execFileSync(process.execPath, [PFM_BIN, '--version'], { uid: NOBODY, gid: NOBODY, cwd: base, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// As root the permission test needs `nobody` (root ignores permission bits); it is skipped where
// `nobody` cannot read the checkout.
const canTestPermissions = process.platform !== 'win32' && (!isRoot || nobodyRunsCli());

/** Runs `pfm ...args`, as `nobody` when `unprivileged` (and the tests run as root). */
function runAs(args: string[], unprivileged: boolean): Promise<PfmResult> {
  if (!unprivileged || !isRoot) return runPfm(args);
  return new Promise((resolve) => {
    execFile(process.execPath, [PFM_BIN, ...args], { uid: NOBODY, gid: NOBODY, cwd: base, env: { ...process.env, NO_COLOR: '1', HOME: base } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: null, stdout, stderr });
    });
  });
}

/** The three commands that write a file of their own: train (a model), sample and data (a data file). */
function writers(out: string): string[][] {
  return [
    ['train', '--data', join(base, 'data.csv'), '--method', 'flow-matching', '--steps', '2', '--backend', 'cpu', '--out', join(out, 'model.json')],
    ['sample', '--model', join(base, 'model.json'), '-n', '2000', '--backend', 'cpu', '--out', join(out, 'samples.csv')],
    ['data', 'moons', '-n', '2000', '--backend', 'cpu', '--out', join(out, 'points.csv')],
  ];
}
const target = (args: string[]) => args[args.length - 1]!;

describe('unwritable outputs name the real cause', () => {
  it.skipIf(!canTestPermissions)('a directory without write permission: "permission denied in" it, for train, sample and data', async () => {
    const locked = join(base, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    for (const args of writers(locked)) {
      const line = errorLineOf(await runAs(args, true));
      expect(line).toBe(`pfm ${args[0]}: cannot write "${target(args)}": cannot create files there (permission denied in "${locked}")`);
    }
    expect(readdirSync(locked)).toEqual([]);
  });

  it.skipIf(!canMount)('a read-only file system (a tmpfs mounted ro): "the file system of … is read-only"', async () => {
    const readOnly = mountTmpfs('read-only', 'ro,size=64k')!;
    for (const args of writers(readOnly)) {
      expect(errorLineOf(await runPfm(args))).toBe(`pfm ${args[0]}: cannot write "${target(args)}": cannot create files there (the file system of "${readOnly}" is read-only)`);
    }
  });

  it.skipIf(!canMount)('a full disk (a 16 KiB tmpfs): train refuses before training, sample and data fail at the write; nothing is left', async () => {
    const full = mountTmpfs('full', 'size=16k,mode=0755')!;
    const [train, sample, data] = writers(full);
    const refused = errorLineOf(await runPfm(train!));
    expect(refused).toMatch(new RegExp(`^pfm train: cannot write "${target(train!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": not enough free space in ".*": about [\\d.]+ KiB needed, 16\\.0 KiB free$`));
    // A data file's size is not known in advance: the write itself fails, and its temporary goes.
    for (const args of [sample!, data!]) {
      expect(errorLineOf(await runPfm(args))).toBe(`pfm ${args[0]}: cannot write "${target(args)}": no space left on the device`);
    }
    expect(readdirSync(full)).toEqual([]);
  });
});
