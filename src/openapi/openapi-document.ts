import type { OpenAPIObject } from '@nestjs/swagger';
import type { z } from 'zod';
import type { HeaderDoc, ResponseDoc, RouteDoc, TagDoc } from '../http/route-doc.js';
import type { RouteDocSet } from '../http/route-doc-set.js';
import { errorBodySchema } from '../http/error-body.schema.js';
import {
  ACCESS_ERRORS,
  commonHeaders,
  ERROR_HEADERS,
  ERROR_REF,
  errorText,
  SECURITY,
  SECURITY_SCHEMES,
} from './common-components.js';
import { SchemaConverter } from './schema-converter.js';

type Json = Record<string, any>;

export interface DocumentOptions {
  title: string;
  version: string;
  description: string;
  servers: OpenAPIObject['servers'];
  requestIdHeader: string;
  bodyLimitBytes: number;
}

/**
 * The OpenAPI 3.0 document, from the route docs every module registered (RouteDocSet): paths, named
 * schemas, the common error body, headers and security schemes.
 */
export function buildDocument(sets: RouteDocSet[], options: DocumentOptions): OpenAPIObject {
  const schemas = new SchemaConverter();
  schemas.convert(errorBodySchema, 'output');
  const tags = new Map<string, TagDoc>();
  const paths: Record<string, Json> = {};
  for (const set of sets) {
    for (const tag of set.tags) tags.set(tag.name, tag);
    for (const [key, doc] of Object.entries(set.routes())) {
      const [method, path] = key.split(' ');
      const item = (paths[path] ??= {});
      if (item[method.toLowerCase()]) throw new Error(`${key} is documented twice`);
      item[method.toLowerCase()] = operation(doc, schemas, options);
    }
  }
  const operations = Object.values(paths).flatMap((item) => Object.values(item));
  const used = new Set(operations.flatMap((op) => op.tags));
  const schemes = new Set(operations.flatMap((op) => op.security.flatMap(Object.keys)));
  return {
    openapi: '3.0.3',
    info: {
      title: options.title,
      version: options.version,
      description: options.description,
      license: { name: 'UNLICENSED', url: 'https://spdx.org/licenses/' },
      contact: { name: 'The Strata team' },
    },
    servers: options.servers,
    tags: [...tags.values()].filter((t) => used.has(t.name)).sort((a, b) => a.name.localeCompare(b.name)),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
      headers: commonHeaders(options.requestIdHeader),
      securitySchemes: Object.fromEntries(
        Object.entries(SECURITY_SCHEMES).filter(([name]) => schemes.has(name)),
      ),
    },
  } as OpenAPIObject;
}

function operation(doc: RouteDoc, schemas: SchemaConverter, options: DocumentOptions): Json {
  const op: Json = {
    operationId: doc.operationId,
    summary: doc.summary,
    description: doc.description ?? doc.summary,
    tags: [doc.tag],
    security: SECURITY[doc.access],
  };
  if (doc.deprecated) op.deprecated = true;
  const param = (
    name: string,
    where: string,
    p: { description: string; schema: z.ZodType; example?: unknown },
    required: boolean,
  ) => ({
    name,
    in: where,
    required,
    description: p.description,
    schema: schemas.convert(p.schema, 'input'),
    ...(p.example !== undefined ? { example: p.example } : {}),
  });
  op.parameters = [
    ...Object.entries(doc.params ?? {}).map(([name, p]) => param(name, 'path', p, true)),
    ...Object.entries(doc.query?.shape ?? {}).map(([name, s]) => {
      const schema = s as z.ZodType;
      return param(name, 'query', { description: schema.description ?? name, schema }, false);
    }),
    ...Object.entries(doc.headers ?? {}).map(([name, h]) => param(name, 'header', h, false)),
  ];
  if (op.parameters.length === 0) delete op.parameters;
  if (doc.body) {
    const media: Json = { schema: schemas.convert(doc.body, 'input') };
    if (doc.bodyExample !== undefined) media.example = doc.bodyExample;
    op.requestBody = { required: doc.bodyRequired ?? true, content: { 'application/json': media } };
  }
  const validates = !!(doc.body || doc.query || doc.params || doc.headers);
  const errors = new Set([
    ...ACCESS_ERRORS[doc.access],
    ...(validates ? [400] : []),
    ...(doc.body ? [413] : []),
    ...(doc.errors ?? []),
  ]);
  op.responses = Object.fromEntries([
    ...Object.entries(doc.responses).map(([status, r]) => [status, response(r, schemas)]),
    ...[...errors]
      .filter((status) => !(status in doc.responses))
      .sort()
      .map((status) => [String(status), errorResponse(status, options)]),
    [
      'default',
      {
        description: 'Any other error',
        headers: headerRefs([]),
        content: { 'application/json': { schema: ERROR_REF } },
      },
    ],
  ]);
  // Every answer past the key check counts against the key's budget and says so (absent when disabled).
  if (doc.access === 'key' || doc.access === 'admin') {
    for (const [status, r] of Object.entries<Json>(op.responses))
      if (status !== '401') r.headers = { ...r.headers, ...headerRefs(['RateLimit']) };
  }
  return op;
}

function headerRefs(
  headers: Extract<HeaderDoc, string>[] | Record<string, HeaderDoc>,
  schemas?: SchemaConverter,
): Json {
  const out: Json = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
  const entries: [string, HeaderDoc][] = Array.isArray(headers)
    ? headers.map((h) => [h, h])
    : Object.entries(headers);
  for (const [name, header] of entries) {
    if (header === 'RateLimit') {
      for (const part of ['Limit', 'Remaining', 'Reset'])
        out[`RateLimit-${part}`] = { $ref: `#/components/headers/RateLimit-${part}` };
    } else if (typeof header === 'string') out[header] = { $ref: `#/components/headers/${header}` };
    else
      out[name] = {
        description: header.description,
        required: header.required ?? false,
        schema: schemas!.convert(header.schema, 'output'),
      };
  }
  return out;
}

function response(r: ResponseDoc, schemas: SchemaConverter): Json {
  const out: Json = { description: r.description, headers: headerRefs(r.headers ?? {}, schemas) };
  if (!r.schema) return out;
  const media: Json = { schema: schemas.convert(r.schema, 'output') };
  if (r.example !== undefined) media.example = r.example;
  if (r.events) {
    media['x-sse-events'] = Object.fromEntries(
      Object.entries(r.events).map(([name, e]) => [
        name,
        { description: e.description, schema: schemas.convert(e.schema, 'output') },
      ]),
    );
  }
  out.content = { [r.contentType ?? 'application/json']: media };
  return out;
}

function errorResponse(status: number, options: DocumentOptions): Json {
  return {
    description: errorText(status, { bodyBytes: options.bodyLimitBytes }),
    headers: headerRefs(ERROR_HEADERS[status] ?? []),
    content: { 'application/json': { schema: ERROR_REF } },
  };
}
