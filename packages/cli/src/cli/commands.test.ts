import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand } from './commands.js';

describe('COMMANDS (what the main thread knows of each command before loading it)', () => {
  it('holds the name and summary of the spec each entry loads, each name once', async () => {
    const specs = await Promise.all(COMMANDS.map((entry) => entry.load()));
    expect(specs.map((spec) => ({ name: spec.name, summary: spec.summary }))).toEqual(COMMANDS.map(({ name, summary }) => ({ name, summary })));
    expect(new Set(COMMANDS.map((entry) => entry.name)).size).toBe(COMMANDS.length);
  });

  it("gives each command's help from the spec it runs with (flags, usage, text), from a module of its own for those off the main thread", async () => {
    const fields = ['name', 'summary', 'usage', 'description', 'positionals', 'flags', 'compute', 'examples'] as const;
    for (const entry of COMMANDS) {
      const [help, spec] = await Promise.all([entry.help(), entry.load()]);
      for (const field of fields) expect(help[field], `${entry.name}: ${field}`).toEqual(spec[field]);
      // The help alone has no run: for the commands that compute it is not the command's module.
      expect('run' in help, entry.name).toBe(!entry.offMainThread);
    }
  });

  it('runs the commands that compute for long off the main thread, and those only', () => {
    expect(COMMANDS.filter((entry) => entry.offMainThread).map((entry) => entry.name)).toEqual(['train', 'sample', 'eval', 'logprob']);
  });

  it('findCommand finds an entry by its exact name only', () => {
    expect(findCommand('train')?.name).toBe('train');
    expect(findCommand('trian')).toBeUndefined();
    expect(findCommand('--help')).toBeUndefined();
  });
});
