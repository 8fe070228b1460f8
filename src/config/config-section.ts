import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/**
 * One module's slice of the environment: a zod shape over the variables it owns, and a mapping from the
 * parsed variables to the typed object the module reads. Sections are validated together in `loadConfig`.
 */
export interface ConfigSection<Shape extends z.ZodRawShape, Out> {
  readonly shape: Shape;
  readonly map: (vars: z.infer<z.ZodObject<Shape>>, env: Env) => Out;
  /** Checks across variables, after each one parsed: `VARIABLE: problem` lines. */
  readonly check?: (out: Out, env: Env) => string[];
}

export function defineConfigSection<Shape extends z.ZodRawShape, Out>(
  shape: Shape,
  map: (vars: z.infer<z.ZodObject<Shape>>, env: Env) => Out,
  check?: (out: Out, env: Env) => string[],
): ConfigSection<Shape, Out> {
  return { shape, map, check };
}

/** Empty strings count as unset, so `FOO=` in an env file falls back to the default. */
export const optionalString = () => z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const intFrom = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number().int().min(min).max(max).default(fallback),
  );

export const booleanFlag = (fallback: boolean) =>
  z.preprocess((v) => {
    if (v === '' || v === undefined) return undefined;
    if (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v)) return true;
    if (typeof v === 'string' && /^(0|false|no|off)$/i.test(v)) return false;
    return v;
  }, z.boolean().default(fallback));

/** A comma-separated list; whitespace around items is ignored. */
export const stringList = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item).optional(),
  );
