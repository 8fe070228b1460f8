import { z } from 'zod';

/** Who may call a route, as the document's `security` says it. */
export type RouteAccess = 'public' | 'key' | 'admin' | 'metrics-token' | 'basic-admin';

/** A zod schema, converted when the document is built, or a ready JSON schema. */
export type SchemaSource = z.ZodType | Record<string, unknown>;

export interface ResponseDoc {
  description: string;
  /** Converted as the output type; absent: no body. */
  schema?: SchemaSource;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * What the document says about one route beyond what @nestjs/swagger reads from the controller: our
 * DTOs are zod schemas, which it cannot see through `@Body(new ZodValidationPipe(schema))`, so the
 * request and response schemas come from here, converted with `z.toJSONSchema`.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  tag: string;
  access: RouteAccess;
  params?: Record<string, { description: string; schema: z.ZodType }>;
  query?: z.ZodObject;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  /** Converted as the input type. */
  body?: SchemaSource;
  responses: Record<number, ResponseDoc>;
  /** Error statuses this route answers besides those its access and inputs imply. */
  errors?: number[];
}

/** Routes by `METHOD /path/{param}` (OpenAPI's path syntax). */
export type RouteDocs = Record<string, RouteDoc>;

/** A schema as OpenAPI 3.0 JSON Schema: what a client sends (`input`) or receives (`output`). */
export function jsonSchemaOf(schema: SchemaSource, io: 'input' | 'output'): Record<string, unknown> {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}
