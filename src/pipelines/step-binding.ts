import type { z } from 'zod';

/** A binding's source: a step's task id, or (part of) its result at a JSON pointer (RFC 6901). */
export type BindingSource =
  { step: string; kind: 'id' } | { step: string; kind: 'result'; pointer: string[] };

export const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const SOURCE = /^([A-Za-z][A-Za-z0-9_-]{0,39})\.(id|result)(\/.*)?$/;
/** Dotted input paths: `subject.headline`, `to.0`. */
const TARGET = /^[A-Za-z_$][\w$-]*(\.(?:[A-Za-z_$][\w$-]*|\d{1,4}))*$/;

export const SOURCE_SYNTAX =
  'expected "<step>.id" or "<step>.result" followed by a JSON pointer such as /a/0';

/** Undefined when `text` is not a valid source. */
export function parseSource(text: string): BindingSource | undefined {
  const m = SOURCE.exec(text);
  if (!m) return undefined;
  const [, step, kind, pointer] = m;
  if (kind === 'id') return pointer === undefined ? { step, kind: 'id' } : undefined;
  if (pointer === undefined) return { step, kind: 'result', pointer: [] };
  const tokens = pointer.slice(1).split('/');
  // `~` must be `~0` (a tilde) or `~1` (a slash).
  if (tokens.some((t) => /~(?![01])/.test(t))) return undefined;
  return { step, kind: 'result', pointer: tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')) };
}

export function parseTarget(text: string): string[] | undefined {
  return TARGET.test(text) ? text.split('.') : undefined;
}

/** The value at `pointer`, or undefined when there is none. */
export function valueAt(value: unknown, pointer: string[]): unknown {
  let here = value;
  for (const token of pointer) {
    if (Array.isArray(here)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      here = here[Number(token)];
    } else if (typeof here === 'object' && here !== null && Object.hasOwn(here, token)) {
      here = (here as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return here;
}

/** Sets `path` in `target` (mutated), making objects or arrays (numeric segment next) on the way. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let here: Record<string, unknown> = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      here[key] = value;
      return;
    }
    const next = here[key];
    if (typeof next !== 'object' || next === null) here[key] = /^\d+$/.test(path[i + 1]) ? [] : {};
    here = here[key] as Record<string, unknown>;
  });
}

type Def = { type: string } & Record<string, any>;
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def: Def } })?._zod?.def;

/**
 * The sub-schema at a dotted input path, or undefined when the schema cannot have that field. Follows
 * zod 4's wrappers (optional, default, pipe...), objects, arrays, records and unions.
 */
export function schemaAt(schema: z.ZodType, path: string[]): z.ZodType | undefined {
  let here: unknown = schema;
  for (let i = 0; i <= path.length; i++) {
    const def = defOf(here);
    if (!def) return undefined;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        here = def.innerType;
        i--;
        continue;
      case 'pipe':
        here = def.in;
        i--;
        continue;
      case 'lazy':
        here = def.getter();
        i--;
        continue;
      case 'union':
        return (def.options as z.ZodType[])
          .map((o) => schemaAt(o, path.slice(i)))
          .find((s) => s !== undefined);
    }
    if (i === path.length) return here as z.ZodType;
    const key = path[i];
    if (def.type === 'object') here = def.shape[key];
    else if (def.type === 'array' && /^\d+$/.test(key)) here = def.element;
    else if (def.type === 'record') here = def.valueType;
    else return undefined;
    if (here === undefined) return undefined;
  }
  return here as z.ZodType;
}

/** JSON with object keys sorted: equal values, equal text (the dev cache hashes it). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
