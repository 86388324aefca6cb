import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The globals of Node that the scripts use (the `globals` package is not a dependency of the
// root; a script that uses another one gets a no-undef error naming it, to be added here).
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'performance', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'structuredClone', 'AbortController', 'AbortSignal', 'fetch', 'WebAssembly',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // The repository's Node scripts, the packages' measurement scripts and the bench's reference input
  // writers (ES modules run with `node`).
  { files: ['scripts/**/*.mjs', 'packages/*/scripts/**/*.mjs', 'apps/*/scripts/**/*.mjs', 'apps/bench/reference/**/*.mjs'], languageOptions: { globals: nodeGlobals } },
);
