// Loaded with `node --import` before the command line, in tests only: records the URL of every
// module the ES module loader loads (one a line) in the file named by the environment variable
// PFM_TEST_MODULE_TRACE, so a test can say which packages a command loaded. The ES module
// loader does not see CommonJS files that are required (by CommonJS files or through
// createRequire): at exit the thread adds the files of its require cache. A worker thread runs
// this file too (it inherits --import).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';

const file = process.env.PFM_TEST_MODULE_TRACE;
register(new URL('./module-trace-hooks.mjs', import.meta.url), { data: { file } });
if (file) {
  const { cache } = createRequire(import.meta.url);
  process.on('exit', () => {
    const required = Object.keys(cache).map((path) => `${pathToFileURL(path).href}\n`);
    if (required.length > 0) appendFileSync(file, required.join(''));
  });
}
