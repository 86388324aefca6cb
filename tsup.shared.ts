import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package shares: ESM and CommonJS, declarations and source maps,
 * for ES2022. A package passes only what is its own (entries, externals, splitting).
 */
export function libraryConfig(options: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...options,
  });
}
