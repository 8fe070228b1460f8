import { z } from 'zod';

/** Who may call a route, as the document's `security` says it. */
export type RouteAccess = 'public' | 'key' | 'admin' | 'metrics-token' | 'basic-admin';

/**
 * A zod schema, converted when the document is built, or a ready JSON schema. A zod schema with
 * `.meta({ id: 'Name' })` becomes the component `#/components/schemas/Name`, referenced where it is used.
 */
export type SchemaSource = z.ZodType | Record<string, unknown>;

/** A response header: one of the common ones by name (see openapi/common-components.ts), or its own. */
export type HeaderDoc =
  | 'X-Request-Id'
  | 'Location'
  | 'ETag'
  | 'X-Cache'
  | 'Cache-Control'
  | 'RateLimit'
  | 'Retry-After'
  | 'WWW-Authenticate'
  | 'Content-Disposition'
  | { description: string; schema: SchemaSource; required?: boolean };

/** A Server-Sent Event: its `event:` name and the JSON schema of its `data:`. */
export interface EventDoc {
  description: string;
  schema: SchemaSource;
}

export interface ResponseDoc {
  description: string;
  /** Converted as the output type; absent: no body. */
  schema?: SchemaSource;
  /** Defaults to application/json. */
  contentType?: string;
  /** Headers this answer carries besides X-Request-Id, which every answer has. */
  headers?: Record<string, HeaderDoc>;
  /** For `text/event-stream`: each event the stream sends (also written to the media type as `x-sse-events`). */
  events?: Record<string, EventDoc>;
  example?: unknown;
}

export interface ParamDoc {
  description: string;
  schema: z.ZodType;
  example?: unknown;
}

/**
 * What the document says about one route. Our DTOs are zod schemas, which @nestjs/swagger cannot see
 * through `@Body(new ZodValidationPipe(schema))`, so every route is described here, next to its controller,
 * and the request and response schemas are converted with `z.toJSONSchema`.
 */
export interface RouteDoc {
  /** Unique in the document: what a generated client names the call. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: RouteAccess;
  deprecated?: boolean;
  params?: Record<string, ParamDoc>;
  query?: z.ZodObject;
  headers?: Record<string, ParamDoc>;
  /** Converted as the input type. */
  body?: SchemaSource;
  /** Default true; false when an empty body means the defaults. */
  bodyRequired?: boolean;
  bodyExample?: unknown;
  responses: Record<number, ResponseDoc>;
  /** Error statuses this route answers besides those its access and inputs imply. */
  errors?: number[];
}

/** Routes by `METHOD /path/{param}` (OpenAPI's path syntax). */
export type RouteDocs = Record<string, RouteDoc>;

/** A group of operations, as the document's `tags` lists it. */
export interface TagDoc {
  name: string;
  description: string;
}

/** The tag of the routes every deployment's tooling calls, which several modules document. */
export const OPERATIONS_TAG: TagDoc = {
  name: 'operations',
  description: 'Health, metrics, documentation and administration',
};

/** A Server-Sent Events answer: the stream, and the events it sends by name. */
export function eventStream(events: Record<string, EventDoc>): ResponseDoc {
  return {
    description: 'The event stream',
    schema: { type: 'string' },
    contentType: 'text/event-stream',
    events,
    // What http/event-stream.util.ts sends so that no proxy keeps or buffers the stream.
    headers: {
      'Cache-Control': {
        description: '`no-cache, no-transform`',
        schema: { type: 'string' },
        required: true,
      },
      'X-Accel-Buffering': {
        description: '`no`: nginx must not buffer it',
        schema: { type: 'string' },
        required: true,
      },
    },
  };
}
