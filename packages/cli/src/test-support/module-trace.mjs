// Loaded with `node --import` before the command line, in tests only: records the URL of every
// module the ES module loader loads (one a line) in the file named by the environment variable
// PFM_TEST_MODULE_TRACE, so a test can say which packages a command loaded. CommonJS files that
// a loaded CommonJS file requires are not seen; the package's entry is.
import { register } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

register(new URL('./module-trace-hooks.mjs', import.meta.url), { data: { file: process.env.PFM_TEST_MODULE_TRACE } });
