// Runs the built command line (dist/bin.js) as a subprocess, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built executable. The tests build nothing: `npx tsup` (or turbo) builds it first. */
export const PFM_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** The test plugin module (see fixture-plugin.mjs). */
export const FIXTURE_PLUGIN = fileURLToPath(new URL('./fixture-plugin.mjs', import.meta.url));

export interface PfmResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `pfm` with its output so far. */
export interface PfmProcess {
  child: ChildProcess;
  /** Resolves when stderr matches `pattern` (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<void>;
  done: Promise<PfmResult>;
}

/** The module that injects file-system failures (see fs-faults.mjs). */
export const FS_FAULTS = fileURLToPath(new URL('./fs-faults.mjs', import.meta.url));

/** A failure injected into node:fs/promises of the subprocess (see fs-faults.mjs). */
export interface FsFault {
  op: 'write' | 'open' | 'rename' | 'statfs';
  /** A substring of the path. */
  match?: string;
  /** An errno code such as ENOSPC (not for statfs). */
  code?: string;
  /** Calls that succeed before the failures start. */
  skip?: number;
  /** Free bytes reported by statfs. */
  free?: number;
}

export interface PfmOptions {
  cwd?: string;
  /** File-system failures to inject into the subprocess. */
  faults?: FsFault[];
}

export function startPfm(args: string[], options: PfmOptions = {}): PfmProcess {
  if (!existsSync(PFM_BIN)) throw new Error(`${PFM_BIN} is missing: build @pfm/cli first (npx tsup)`);
  const faults = options.faults ?? [];
  const child = spawn(process.execPath, [...(faults.length > 0 ? ['--import', FS_FAULTS] : []), PFM_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...(faults.length > 0 ? { PFM_TEST_FS_FAULTS: JSON.stringify(faults) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const w of [...waiters]) {
      if (w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const done = new Promise<PfmResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`pfm exited (code ${code}) before stderr matched ${w.pattern}:\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForStderr(pattern) {
      if (pattern.test(stderr)) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}

/** Runs `pfm ...args` to the end. */
export function runPfm(args: string[], options: PfmOptions = {}): Promise<PfmResult> {
  return startPfm(args, options).done;
}

/** Asserts the shape of every pfm error: exit code 2, one line on stderr, no stack trace. */
export function errorLineOf(result: PfmResult): string {
  if (result.code !== 2) throw new Error(`expected exit code 2, got ${result.code}; stderr:\n${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  const last = lines[lines.length - 1]!;
  if (/^\s+at /m.test(result.stderr)) throw new Error(`stack trace without --verbose:\n${result.stderr}`);
  return last;
}
