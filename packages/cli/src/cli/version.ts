declare const __PFM_CLI_VERSION__: string | undefined;

/** The version of @pfm/cli (from its package.json, fixed at build time). */
export const CLI_VERSION: string = typeof __PFM_CLI_VERSION__ === 'string' ? __PFM_CLI_VERSION__ : '0.0.0-dev';
