// What `create()` must return for each kind, checked by `registry.create` so that a broken
// plugin fails where its entry is built, naming the plugin and the id, not steps later with
// "x.step is not a function".
import type { EntryKind } from './entries.js';

type FieldType = 'function' | 'number' | 'string' | 'array' | 'object';

interface Shape {
  /** What was expected, for the error message. */
  expected: string;
  /** The value itself must be a function (a Discrepancy) rather than an object. */
  callable?: boolean;
  /** Required fields and their types. */
  fields?: Record<string, FieldType>;
  /** Fields of which at least one must be a function (a map applies or evaluates). */
  oneOf?: string[];
  /** A further check on the fields' contents. */
  inner?: (value: Record<string, unknown>) => string | undefined;
}

const SHAPES: Partial<Record<EntryKind, Shape>> = {
  objective: {
    expected: 'a TrainingRun { players: [{ name, variables, loss(input) }], model: { sample(n, rng) } }',
    fields: { players: 'array', model: 'object' },
    inner: (run) => {
      const players = run.players as Array<Record<string, unknown> | null>;
      for (const [i, player] of players.entries()) {
        if (typeof player !== 'object' || player === null) return `an object whose "players[${i}]" is ${describe(player)}`;
        if (typeof player.loss !== 'function') return `an object whose "players[${i}].loss" is ${describe(player.loss)}`;
        if (!Array.isArray(player.variables)) return `an object whose "players[${i}].variables" is ${describe(player.variables)}`;
      }
      const model = run.model as Record<string, unknown>;
      return typeof model.sample === 'function' ? undefined : `an object whose "model.sample" is ${describe(model.sample)}`;
    },
  },
  discrepancy: { expected: 'a Discrepancy: a function (x, y) => scalar', callable: true },
  kernel: { expected: 'a Kernel { gram(x, y) }', fields: { gram: 'function' } },
  'test-functions': {
    expected: 'a TestFunctionFamily { size, features(x), weights() }',
    fields: { size: 'number', features: 'function', weights: 'function' },
  },
  integrator: { expected: 'a Solver { order, step(problem, t0, t1, y0) }', fields: { order: 'number', step: 'function' } },
  map: {
    expected: 'a PushforwardMap { apply(z), toSpec() } or a VectorField { evaluate(t, x), toSpec() }',
    fields: { toSpec: 'function' },
    oneOf: ['apply', 'evaluate'],
  },
  dataset: { expected: 'a Measure { dim, sample(n, rng) }', fields: { dim: 'number', sample: 'function' } },
  backend: { expected: 'a BackendProvider { name, init() }', fields: { name: 'string', init: 'function' } },
  controller: {
    expected: 'a StepSizeController { name, init(), propose(state, error, errorOrder) }',
    fields: { name: 'string', init: 'function', propose: 'function' },
  },
  optimizer: {
    expected: 'a GradientTransformation { slots, init(params), update(updates, state, params, context) }',
    fields: { slots: 'array', init: 'function', update: 'function' },
  },
  coupling: { expected: 'a Coupling { name, pair(x0, x1, rng) }', fields: { name: 'string', pair: 'function' } },
  path: { expected: 'an Interpolant { name, interpolate(t, x0, x1, z) }', fields: { name: 'string', interpolate: 'function' } },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const keys = Object.keys(value);
  return keys.length > 0 ? `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}` : 'an empty object';
}

/**
 * Why `value` is not what a `kind` entry's `create()` must return (`undefined` when it is): a
 * phrase such as `an object whose "step" is undefined (expected a Solver { order, step(…) })`.
 * Kinds without a declared shape are not checked.
 */
export function createdShapeProblem(kind: EntryKind, value: unknown): string | undefined {
  const shape = SHAPES[kind];
  if (!shape) return undefined;
  const problem = (() => {
    if (shape.callable) return typeof value === 'function' ? undefined : describe(value);
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return describe(value);
    const record = value as Record<string, unknown>;
    for (const [field, type] of Object.entries(shape.fields ?? {})) {
      if (typeOf(record[field]) !== type) return `an object whose "${field}" is ${describe(record[field])}`;
    }
    if (shape.oneOf && !shape.oneOf.some((field) => typeof record[field] === 'function')) {
      return `an object with no ${shape.oneOf.map((f) => `"${f}"`).join(' or ')} function`;
    }
    return shape.inner?.(record);
  })();
  return problem === undefined ? undefined : `${problem} (expected ${shape.expected})`;
}
