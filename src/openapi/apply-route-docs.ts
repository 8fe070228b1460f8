import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { errorBodySchema } from './api-schemas.js';
import {
  jsonSchemaOf,
  type ResponseDoc,
  type RouteAccess,
  type RouteDoc,
  type RouteDocs,
} from './route-doc.js';

type Operation = Record<string, any>;

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };

/** The schemes of `security` per access; `[]` (no requirement) for public routes. */
const SECURITY: Record<RouteAccess, Record<string, string[]>[]> = {
  public: [],
  key: [{ bearer: [] }, { apiKey: [] }],
  admin: [{ bearer: [] }, { apiKey: [] }],
  'metrics-token': [{ metricsToken: [] }],
  'basic-admin': [{ adminBasic: [] }],
};

const ACCESS_ERRORS: Record<RouteAccess, number[]> = {
  public: [],
  // Every call with a key counts against that key's rate limit (src/rate-limit/).
  key: [401, 429],
  admin: [401, 403, 429],
  'metrics-token': [401],
  'basic-admin': [401],
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `details` lists `{ field, message }` for each problem',
  401: 'No credentials, or unknown ones',
  403: 'An admin key is required',
  404: 'Not found',
  409: 'Conflicts with the current state',
  422: 'Valid, but refers to something that does not exist',
  429: 'Rate limit exceeded; retry after `Retry-After` seconds (`RateLimit-*` headers say how much is left)',
  503: 'A dependency (Redis) is unavailable; retry after `Retry-After` seconds',
};

/** The common pieces every operation refers to: the error body and the security schemes. */
export function addCommonComponents(document: OpenAPIObject): void {
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, ErrorBody: jsonSchemaOf(errorBodySchema, 'output') as any };
  components.securitySchemes = {
    ...components.securitySchemes,
    bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`' },
    apiKey: {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: 'An API key: `X-API-Key: <key>`',
    },
    metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set' },
    adminBasic: { type: 'http', scheme: 'basic', description: 'user: an admin key id; password: the key' },
  };
}

/**
 * Merges `docs` into the document @nestjs/swagger generated from the controllers: schemas, parameters,
 * security and error answers. A documented route missing from the document is added (routes served by
 * Fastify plugins, not controllers).
 */
export function applyRouteDocs(document: OpenAPIObject, docs: RouteDocs): void {
  for (const [key, doc] of Object.entries(docs)) {
    const [method, path] = key.split(' ');
    const item = ((document.paths as Record<string, Operation>)[path] ??= {});
    item[method.toLowerCase()] = describe(item[method.toLowerCase()] ?? {}, doc);
  }
}

function describe(generated: Operation, doc: RouteDoc): Operation {
  const op: Operation = {
    ...generated,
    summary: doc.summary,
    tags: [doc.tag],
    security: SECURITY[doc.access],
  };
  if (doc.description) op.description = doc.description;
  op.parameters = [
    ...Object.entries(doc.params ?? {}).map(([name, p]) =>
      param(name, 'path', p.description, p.schema, true),
    ),
    ...Object.entries(doc.query?.shape ?? {}).map(([name, s]) =>
      param(name, 'query', (s as z.ZodType).description ?? name, s as z.ZodType, false),
    ),
    ...Object.entries(doc.headers ?? {}).map(([name, h]) =>
      param(name, 'header', h.description, h.schema, false),
    ),
  ];
  if (doc.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input') } },
    };
  } else delete op.requestBody;
  const validates = !!(doc.body || doc.query || doc.params);
  const errors = new Set([...ACCESS_ERRORS[doc.access], ...(validates ? [400] : []), ...(doc.errors ?? [])]);
  op.responses = Object.fromEntries([
    ...Object.entries(doc.responses).map(([status, r]) => [status, response(r)]),
    ...[...errors].sort().map((status) => [String(status), errorResponse(status)]),
    ['default', { description: 'Any other error', content: { 'application/json': { schema: ERROR_REF } } }],
  ]);
  return op;
}

function param(name: string, where: string, description: string, schema: z.ZodType, required: boolean) {
  return { name, in: where, required, description, schema: jsonSchemaOf(schema, 'input') };
}

function response(r: ResponseDoc) {
  if (!r.schema) return { description: r.description };
  const schema = jsonSchemaOf(r.schema, 'output');
  return { description: r.description, content: { [r.contentType ?? 'application/json']: { schema } } };
}

function errorResponse(status: number) {
  return {
    description: ERROR_TEXT[status] ?? STATUS_CODES[status] ?? 'Error',
    content: { 'application/json': { schema: ERROR_REF } },
  };
}
