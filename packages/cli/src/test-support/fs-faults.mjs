// Loaded with `node --import` before the command line, in tests only: makes node:fs/promises fail
// the way a full disk or a read-only directory would, as set by the environment variable
// PFM_TEST_FS_FAULTS, a JSON array of
//   { "op": "write" | "open" | "rename" | "statfs", "match": "substring of the path", "code": "ENOSPC",
//     "skip": 0, "free": bytes }
// "write" fails FileHandle.writeFile on files whose path contains `match` (after `skip` successful
// ones), "open" and "rename" fail those calls, "statfs" reports `free` bytes available.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import process from 'node:process';

const faults = JSON.parse(process.env.PFM_TEST_FS_FAULTS ?? '[]');
const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises');
const real = { open: fsp.open, rename: fsp.rename, statfs: fsp.statfs };
const seen = new Map();

function failing(op, path) {
  for (const [i, f] of faults.entries()) {
    if (f.op !== op || !String(path).includes(f.match ?? '')) continue;
    const count = (seen.get(i) ?? 0) + 1;
    seen.set(i, count);
    if (count > (f.skip ?? 0)) return f;
  }
  return undefined;
}
const errnoError = (f, op, path) => Object.assign(new Error(`${f.code}: injected ${op} failure, '${path}'`), { code: f.code, path: String(path) });

fsp.open = async (path, ...rest) => {
  const f = failing('open', path);
  if (f) throw errnoError(f, 'open', path);
  const handle = await real.open(path, ...rest);
  const writeFile = handle.writeFile.bind(handle);
  handle.writeFile = async (...args) => {
    const w = failing('write', path);
    if (w) throw errnoError(w, 'write', path);
    return writeFile(...args);
  };
  return handle;
};
fsp.rename = async (from, to) => {
  const f = failing('rename', to);
  if (f) throw errnoError(f, 'rename', to);
  return real.rename(from, to);
};
fsp.statfs = async (path, ...rest) => {
  const info = await real.statfs(path, ...rest);
  const f = failing('statfs', path);
  return f ? { ...info, bsize: 4096, bavail: Math.floor(f.free / 4096) } : info;
};
syncBuiltinESMExports();
