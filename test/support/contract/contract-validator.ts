import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

/** One answer as the client received it. */
export interface Exchange {
  method: string;
  /** The request's path and query. */
  url: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Whether the whole answer was sent (false: the client or the server closed the stream early). */
  complete: boolean;
}

/**
 * Paths that are served but deliberately outside the document (see test/ops/openapi.e2e-spec.ts): Swagger
 * UI's own files, `/docs/` (its page again, as `/docs`) included, and Bull Board.
 */
const OUTSIDE = [/^\/docs\/.*(?<!openapi\.json)$/, /^\/admin\/queues\/.+/];

const essence = (contentType: string | undefined) => contentType?.split(';')[0].trim().toLowerCase();

interface Route {
  path: string;
  pattern: RegExp;
  params: number;
}

/**
 * Checks answers against an OpenAPI 3.0 document: the status is documented for the operation, every
 * header the document marks required is there (and fits its schema), the media type is one it lists, and
 * the body fits the schema; for Server-Sent Events, each event's name is listed in `x-sse-events` and its
 * data fits that event's schema. An answer to a path or method the document does not have (404s of unknown
 * routes) must still be an `ErrorBody`. Returns the violations, each naming the operation.
 */
export class ContractValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[];
  /** By the document's schema object, so a check costs one validation, not a compilation. */
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly errorBody = { $ref: '#/components/schemas/ErrorBody' };

  constructor(private readonly doc: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ components: byDiscriminator(doc.components) }, 'doc');
    this.routes = Object.keys(doc.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (path.match(/\{/g) ?? []).length,
      }))
      // A literal path wins over a template that also matches it (`/v1/tasks/pdf` before `/v1/tasks/{id}`).
      .sort((a, b) => a.params - b.params);
  }

  check(exchange: Exchange): string[] {
    const path = exchange.url.split('?')[0];
    const method = exchange.method.toLowerCase();
    if (method === 'head' || method === 'options' || OUTSIDE.some((re) => re.test(path))) return [];
    const route = this.routes.find((r) => r.pattern.test(path) && this.doc.paths[r.path][method]);
    if (!route) return this.checkUndocumented(exchange, path);
    const operation = this.doc.paths[route.path][method];
    const where = `${exchange.method} ${route.path} (${operation.operationId}) → ${exchange.status}`;
    const response =
      operation.responses[String(exchange.status)] ??
      (exchange.status >= 400 ? operation.responses.default : undefined);
    if (!response) return [`${where}: status ${exchange.status} is not documented for this operation`];
    return [...this.checkHeaders(response, exchange), ...this.checkBody(response, exchange)].map(
      (problem) => `${where}: ${problem}`,
    );
  }

  private checkUndocumented(exchange: Exchange, path: string): string[] {
    if (exchange.status < 400) {
      return [
        `${exchange.method} ${path} → ${exchange.status}: answered, but the document has no such operation`,
      ];
    }
    if (essence(exchange.headers['content-type']) !== 'application/json') {
      return [`${exchange.method} ${path} → ${exchange.status}: an error that is not an ErrorBody (JSON)`];
    }
    return this.validateJson(this.errorBody, exchange.body).map(
      (problem) => `${exchange.method} ${path} (no such operation) → ${exchange.status}: ${problem}`,
    );
  }

  private checkHeaders(response: Json, exchange: Exchange): string[] {
    const problems: string[] = [];
    for (const [name, declared] of Object.entries<Json>(response.headers ?? {})) {
      const header = declared.$ref ? this.resolve(declared.$ref) : declared;
      const value = exchange.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`header ${name} is required but missing`);
        continue;
      }
      const schema = header.schema ?? {};
      if (schema.enum && !schema.enum.includes(value))
        problems.push(`header ${name}: "${value}" is not one of ${schema.enum.join(', ')}`);
      if (schema.type === 'integer' && !/^\d+$/.test(value))
        problems.push(`header ${name}: "${value}" is not an integer`);
    }
    return problems;
  }

  private checkBody(response: Json, exchange: Exchange): string[] {
    const content: Record<string, Json> | undefined = response.content;
    const sent = exchange.body.length > 0;
    if (!content)
      return sent ? [`a body was sent (${exchange.body.length} bytes) where the document has none`] : [];
    const type = essence(exchange.headers['content-type']);
    const media = Object.entries(content).find(([key]) => essence(key) === type)?.[1];
    if (!media) return [`content-type ${type} is not one of ${Object.keys(content).join(', ')}`];
    if (type === 'text/event-stream') return this.checkEvents(media, exchange);
    if (type !== 'application/json') return [];
    if (!exchange.complete) return [];
    return this.validateJson(media.schema, exchange.body);
  }

  /** Every complete event of the stream: a listed name, and data that fits its schema. */
  private checkEvents(media: Json, exchange: Exchange): string[] {
    const events: Record<string, Json> = media['x-sse-events'] ?? {};
    const text = exchange.body.toString('utf8');
    // The last block may be cut off when the stream was closed early; only finished blocks count.
    const blocks = text.split('\n\n').slice(0, -1);
    const problems: string[] = [];
    for (const block of blocks) {
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      if (lines.length === 0) continue;
      const name = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      const event = events[name];
      if (!event) {
        problems.push(`event "${name}" is not one of ${Object.keys(events).join(', ')}`);
        continue;
      }
      problems.push(
        ...this.validateJson(event.schema, Buffer.from(data)).map((p) => `event "${name}": ${p}`),
      );
    }
    return problems;
  }

  private validateJson(schema: Json, body: Buffer): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return [`the body is not JSON: ${body.toString('utf8').slice(0, 80)}`];
    }
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(this.absolute(schema));
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (
      (validate.errors ?? [])
        // The member's own errors say it; "must match the then schema" adds nothing.
        .filter((e) => e.keyword !== 'if')
        .slice(0, 5)
        .map((e) => `body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
    );
  }

  /** The schema with its component refs pointing into the document Ajv holds as `doc`. */
  private absolute(schema: Json): Json {
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
  }

  private resolve(ref: string): Json {
    return ref
      .slice(2)
      .split('/')
      .reduce((node: Json, part) => node[part.replaceAll('~1', '/').replaceAll('~0', '~')], this.doc);
  }
}

/**
 * A union with a discriminator, as Ajv can say what is wrong with it: `oneOf` would report every member's
 * complaints (a pdf task "must have property text"), so each member is checked only when `type` names it.
 */
function byDiscriminator(node: unknown): any {
  if (Array.isArray(node)) return node.map(byDiscriminator);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, byDiscriminator(v)]));
  const mapping: Record<string, string> | undefined = copy.discriminator?.mapping;
  if (!copy.oneOf || !mapping) return copy;
  const property: string = copy.discriminator.propertyName;
  const { oneOf: _members, discriminator: _d, ...rest } = copy;
  return {
    ...rest,
    type: 'object',
    required: [property],
    properties: { [property]: { enum: Object.keys(mapping) } },
    allOf: Object.entries(mapping).map(([value, ref]) => ({
      if: { properties: { [property]: { const: value } } },
      // oxlint-disable-next-line unicorn/no-thenable -- JSON Schema's if/then, never awaited
      then: { $ref: ref },
    })),
  };
}
