import { z } from 'zod';
import { ENTRY_KINDS, type AnyEntry, type EntryKind, type EntryKinds } from './entries.js';
import { createdShapeProblem } from './created-shape.js';
import type { EntryRef } from './entry-ref.js';
import type { Plugin } from './plugin.js';
import { PROVIDER_HINTS } from './provider-hints.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** An option error that names the field, the value and what was expected. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

/** An unknown or duplicate id. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** A registry entry as listed by `pfm list`: id, description, options with defaults. */
export interface EntryInfo {
  kind: EntryKind;
  id: string;
  description: string;
  plugin: string;
  /** JSON Schema of the options (with defaults). */
  options: unknown;
}

/** What an entry of `kind` builds: the return type of its `create`. */
export type EntryProduct<K extends EntryKind> = ReturnType<EntryKinds[K]['create']>;

/**
 * The context `registry.create(kind, …)` takes: the second argument of that kind's `create`, whose
 * `registry` (if it has one) may be left out (the registry passes itself); `undefined` for kinds
 * whose `create` takes options only.
 */
export type EntryCreateContext<K extends EntryKind> =
  Parameters<EntryKinds[K]['create']> extends [unknown, infer C, ...unknown[]]
    ? C extends { registry?: unknown }
      ? Omit<C, 'registry'> & { registry?: Registry }
      : C
    : undefined;

/**
 * The arguments of `registry.create` after the reference: the context (optional where the kind
 * needs none, or nothing but the registry), then `where`.
 */
export type EntryCreateArgs<K extends EntryKind> = undefined extends EntryCreateContext<K>
  ? [context?: EntryCreateContext<K>, where?: EntryWhere]
  : Record<never, never> extends EntryCreateContext<K>
  ? [context?: EntryCreateContext<K>, where?: EntryWhere]
  : [context: EntryCreateContext<K>, where?: EntryWhere];

/**
 * Where `registry.create` says a reference came from. A string names the field holding the
 * reference (`"sampler.integrator"`): an unknown id is reported at `<where>.id` (or `<where>` for a
 * bare id), a bad option at `<where>.options.<field>`. An object names the two separately when they
 * come from different places, as on a command line: `{ id: '--metric', options: 'mmd.json' }`
 * (an empty or absent `id` reports the unknown id without a prefix; `options` defaults to "options").
 */
export type EntryWhere = string | { id?: string; options?: string };

/**
 * The plugin registry: a value, not a hidden global. Ids are kebab-case and unique per kind.
 */
export interface Registry {
  /** Adds every entry of a plugin; throws on a duplicate id, leaving the registry unchanged. */
  use(plugin: Plugin): Registry;
  has(kind: EntryKind, id: string): boolean;
  /** The entry; an unknown id throws an error listing the known ids of that kind. */
  get<K extends EntryKind>(kind: K, id: string): EntryKinds[K];
  /** Validates `options` (defaults filled in) against the entry's schema. */
  parseOptions<K extends EntryKind>(kind: K, id: string, options: unknown, where?: string): any;
  /**
   * Builds the entry named by `ref` (an id, or `{ id, options }`): parses the options with the
   * entry's schema, calls its `create` with `context` (plus this registry) and checks the shape of
   * what it returned. `where` names the field in errors: an unknown id is reported at `<where>.id`
   * with the known ids of the kind, a bad option at `<where>.options.<field>`; a `create` that
   * returns the wrong shape names its plugin, kind and id.
   *
   * @example registry.create('kernel', { id: 'gaussian', options: { bandwidth: 2 } }, undefined, 'kernel')
   */
  create<K extends EntryKind>(kind: K, ref: EntryRef, ...args: EntryCreateArgs<K>): EntryProduct<K>;
  ids(kind: EntryKind): string[];
  list(kind?: EntryKind): EntryInfo[];
  readonly plugins: readonly Plugin[];
}

/** Formats a zod error as one line naming every wrong field. */
export function formatIssues(error: z.ZodError, where: string): string {
  const parts = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? `${where}.${issue.path.map(String).join('.')}` : where;
    return `${path}: ${issue.message}`;
  });
  return parts.join('; ');
}

/**
 * Creates an empty registry, optionally with plugins already in it. An unknown id of a kind with no
 * entry at all says which plugin provides that kind: {@link PROVIDER_HINTS}, or `hints` per kind.
 */
export function createRegistry(options: { plugins?: readonly Plugin[]; hints?: Partial<Record<EntryKind, string>> } = {}): Registry {
  const hints: Record<string, string> = { ...PROVIDER_HINTS, ...options.hints };
  const byKind = new Map<EntryKind, Map<string, { entry: AnyEntry; plugin: string }>>();
  for (const kind of ENTRY_KINDS) byKind.set(kind, new Map());
  const plugins: Plugin[] = [];

  const table = (kind: EntryKind) => {
    const t = byKind.get(kind);
    if (!t) throw new RegistryError(`unknown registry kind "${kind}"; kinds: ${ENTRY_KINDS.join(', ')}`);
    return t;
  };

  const none = (kind: EntryKind) => (hints[kind] ? `(none registered: ${hints[kind]})` : '(none registered)');

  const found = (kind: EntryKind, id: string, at = '') => {
    const hit = table(kind).get(id);
    if (!hit) {
      const known = [...table(kind).keys()].sort();
      throw new RegistryError(
        `${at}unknown ${kind} "${id}"; known ${kind} ids: ${known.length > 0 ? known.join(', ') : none(kind)}`,
      );
    }
    return hit;
  };

  const registry: Registry = {
    plugins,
    use(plugin) {
      const seen = new Set<string>();
      for (const entry of plugin.entries) {
        const where = `plugin ${plugin.name}`;
        if (!ENTRY_KINDS.includes(entry.kind)) {
          throw new RegistryError(`${where}: unknown kind "${String(entry.kind)}" (kinds: ${ENTRY_KINDS.join(', ')})`);
        }
        if (typeof entry.id !== 'string' || !KEBAB.test(entry.id)) {
          throw new RegistryError(`${where}: id "${String(entry.id)}" is not kebab-case (expected e.g. "flow-matching")`);
        }
        const key = `${entry.kind}:${entry.id}`;
        const existing = table(entry.kind).get(entry.id);
        if (existing || seen.has(key)) {
          throw new RegistryError(
            `${where}: duplicate ${entry.kind} id "${entry.id}" (already registered by ${existing?.plugin ?? plugin.name})`,
          );
        }
        if (!entry.schema || typeof (entry.schema as z.ZodType).safeParse !== 'function') {
          throw new RegistryError(`${where}: ${entry.kind} "${entry.id}" has no options schema`);
        }
        if (typeof entry.create !== 'function') {
          throw new RegistryError(`${where}: ${entry.kind} "${entry.id}" has no create() function (got ${typeof entry.create})`);
        }
        if (entry.kind === 'objective' && typeof entry.load !== 'function') {
          throw new RegistryError(`${where}: objective "${entry.id}" has no load() function (got ${typeof entry.load}); a model file needs it`);
        }
        seen.add(key);
      }
      for (const entry of plugin.entries) table(entry.kind).set(entry.id, { entry, plugin: plugin.name });
      plugins.push(plugin);
      return registry;
    },
    has(kind, id) {
      return table(kind).has(id);
    },
    get(kind, id) {
      return found(kind, id).entry as EntryKinds[typeof kind];
    },
    create(kind, ref, ...[context, where]) {
      const { id, options } = typeof ref === 'string' ? { id: ref, options: {} } : { id: ref?.id, options: ref?.options ?? {} };
      const at =
        where === undefined
          ? ''
          : typeof where === 'object'
          ? where.id
            ? `${where.id}: `
            : ''
          : typeof ref === 'object' && ref !== null
          ? `${where}.id: `
          : `${where}: `;
      const optionsAt = where === undefined ? 'options' : typeof where === 'object' ? (where.options ?? 'options') : `${where}.options`;
      if (typeof id !== 'string') {
        throw new RegistryError(`${at}expected a ${kind} id or { id, options }, got ${JSON.stringify(ref) ?? String(ref)}`);
      }
      const { entry, plugin } = found(kind, id, at);
      const parsed = registry.parseOptions(kind, id, options, optionsAt);
      const built = (entry.create as (options: unknown, context: unknown) => unknown)(parsed, {
        ...(context as object | undefined),
        registry: (context as { registry?: Registry } | undefined)?.registry ?? registry,
      });
      const problem = createdShapeProblem(kind, built);
      if (problem !== undefined) throw new RegistryError(`plugin ${plugin}: ${kind} "${id}" create() returned ${problem}`);
      return built as EntryProduct<typeof kind>;
    },
    parseOptions(kind, id, options, where) {
      const entry = registry.get(kind, id);
      const result = entry.schema.safeParse(options ?? {});
      if (!result.success) {
        throw new OptionsError(`bad options for ${kind} "${id}": ${formatIssues(result.error, where ?? 'options')}`);
      }
      return result.data;
    },
    ids(kind) {
      return [...table(kind).keys()].sort();
    },
    list(kind) {
      const kinds = kind ? [kind] : ENTRY_KINDS;
      const out: EntryInfo[] = [];
      for (const k of kinds) {
        for (const [id, { entry, plugin }] of [...table(k).entries()].sort(([a], [b]) => a.localeCompare(b))) {
          let schema: unknown;
          try {
            schema = z.toJSONSchema(entry.schema as z.ZodType, { io: 'input', unrepresentable: 'any' });
          } catch {
            schema = {};
          }
          out.push({ kind: k, id, description: entry.description, plugin, options: schema });
        }
      }
      return out;
    },
  };
  for (const p of options.plugins ?? []) registry.use(p);
  return registry;
}
