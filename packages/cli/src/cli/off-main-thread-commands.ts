/**
 * The commands that compute for long and so run in a worker thread while the main thread owns
 * SIGINT/SIGTERM (see `runOffMainThread`): a signal is then heard during a long synchronous step.
 * A plain list, so the main thread knows them without loading the commands.
 */
export const OFF_MAIN_THREAD_COMMANDS: readonly string[] = ['train', 'sample', 'eval', 'logprob'];
