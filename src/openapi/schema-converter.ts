import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { SchemaSource } from '../http/route-doc.js';

type Json = Record<string, unknown>;

/** A string bound past this many bytes of a schema marked with it is no real bound: the byte limit is. */
export const MAX_JSON_BYTES = 'x-max-json-bytes';

const COMPONENTS = '#/components/schemas/';

/**
 * zod to OpenAPI 3.0 schemas, collecting every schema named with `.meta({ id })` as a component: the
 * document's `components.schemas` is `converter.components`. A name converted both as a request (input)
 * and an answer (output) whose two forms differ gets the input one as `<Name>Input`.
 */
export class SchemaConverter {
  readonly components: Record<string, Json> = {};
  private readonly io = new Map<string, 'input' | 'output'>();

  convert(schema: SchemaSource, io: 'input' | 'output'): Json {
    if (!(schema instanceof z.ZodType)) return schema;
    const converted = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
    const {
      $schema: _s,
      definitions = {},
      ...root
    } = converted as Json & { definitions?: Record<string, Json> };
    const names = new Map<string, string>();
    for (const [name, definition] of Object.entries(definitions)) {
      const known = this.components[name];
      const same = known && isDeepStrictEqual(known, this.finish(definition, io, new Map(), true));
      names.set(name, !known || same || io === 'output' ? name : `${name}Input`);
    }
    for (const [name, definition] of Object.entries(definitions)) {
      const target = names.get(name)!;
      const finished = this.finish(definition, io, names, true);
      const known = this.components[target];
      if (known && !isDeepStrictEqual(known, finished)) {
        throw new Error(`two different schemas are named ${target} (${this.io.get(target)} and ${io})`);
      }
      this.components[target] = finished;
      this.io.set(target, io);
    }
    return this.finish(root, io, names, false);
  }

  /** Refs point into components; a request's objects refuse unknown fields, as every validator here does. */
  private finish(schema: Json, io: 'input' | 'output', names: Map<string, string>, component: boolean): Json {
    return walk(
      schema,
      (node) => {
        // openapi-typescript types a property with a `default` as always present, except in schemas written
        // inside a request body or parameter: a named request schema says its defaults in words instead.
        if (io === 'input' && component && 'default' in node) {
          const text = `Default: ${JSON.stringify(node.default)}.`;
          node.description = typeof node.description === 'string' ? `${node.description} ${text}` : text;
          node['x-default'] = node.default;
          delete node.default;
        }
        if (typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/')) {
          const name = node.$ref.slice('#/definitions/'.length);
          node.$ref = COMPONENTS + (names.get(name) ?? name);
        }
        // `format` says it; zod's equivalent pattern would only make the document harder to read.
        if (node.format === 'date-time') delete node.pattern;
        if (io === 'input' && node.type === 'object' && node.properties && !('additionalProperties' in node))
          node.additionalProperties = false;
      },
      clampStrings,
    );
  }
}

/** Copies `schema`, calling `visit` on each object node; `enter` may change what a subtree sees. */
function walk(
  schema: Json,
  visit: (node: Json) => void,
  enter: (node: Json, limit?: number) => number | undefined,
) {
  const copy = (value: unknown, limit: number | undefined): unknown => {
    if (Array.isArray(value)) return value.map((v) => copy(v, limit));
    if (typeof value !== 'object' || value === null) return value;
    const node = { ...(value as Json) };
    const inner = enter(node, limit);
    for (const [key, child] of Object.entries(node)) {
      // Examples and defaults are values, not schemas.
      if (key !== 'example' && key !== 'default' && key !== 'enum') node[key] = copy(child, inner);
    }
    visit(node);
    // zod wraps an optional named schema as `{ allOf: [{ $ref }] }`: the ref alone says the same.
    if (Object.keys(node).length === 1 && Array.isArray(node.allOf) && node.allOf.length === 1)
      return node.allOf[0];
    return node;
  };
  return copy(schema, undefined) as Json;
}

/** Inside a schema marked `x-max-json-bytes`, no string's `maxLength` promises more than those bytes. */
function clampStrings(node: Json, limit: number | undefined): number | undefined {
  const own = typeof node[MAX_JSON_BYTES] === 'number' ? (node[MAX_JSON_BYTES] as number) : undefined;
  const bound = own ?? limit;
  if (bound !== undefined && typeof node.maxLength === 'number' && node.maxLength > bound)
    node.maxLength = bound;
  return bound;
}
