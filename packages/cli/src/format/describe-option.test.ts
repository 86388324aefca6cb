import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeOptions, describeType } from './describe-option.js';

describe('describeOptions', () => {
  it('prints type, bounds, default and description of each option of a zod schema', () => {
    const schema = z
      .object({
        blocks: z.number().int().positive().max(128).default(8),
        rate: z.number().min(0).max(1).default(0.5),
        mode: z.enum(['a', 'b']).default('a'),
        hidden: z.array(z.number().int()).optional(),
        teacher: z.record(z.string(), z.unknown()).optional(),
        name: z.string().describe('who'),
        flag: z.boolean().default(false),
      })
      .strict();
    const options = describeOptions(z.toJSONSchema(schema, { io: 'input' }));
    expect(Object.fromEntries(options.map((o) => [o.name, o.text]))).toEqual({
      blocks: 'integer in (0, 128] = 8',
      rate: 'number in [0, 1] = 0.5',
      mode: '"a" | "b" = "a"',
      hidden: 'integer[] (optional)',
      teacher: 'object (optional)',
      name: 'string (required) — who',
      flag: 'boolean = false',
    });
  });

  it('unions, constants and unknown shapes', () => {
    expect(describeType({ anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { const: 'auto' }] })).toBe('number > 0 | "auto"');
    expect(describeType({ type: 'array', items: { enum: [1, 2] } })).toBe('(1 | 2)[]');
    expect(describeType({})).toBe('any');
    expect(describeType(undefined)).toBe('any');
    expect(describeOptions({ type: 'object' })).toEqual([]);
  });
});
