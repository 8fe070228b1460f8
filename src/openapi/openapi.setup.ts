import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/load-config.js';
import { RouteDocSet } from '../http/route-doc-set.js';
import { buildDocument } from './openapi-document.js';
import { docsRouteDocs } from './docs.route-docs.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

const DESCRIPTION =
  'Taxonomy reads behind a resilient cache, task queues and pipelines of tasks. Send an API key as ' +
  '`Authorization: Bearer <key>` or `X-API-Key: <key>`. Every 4xx and 5xx answer has the body ' +
  '`ErrorBody`: `{ statusCode, error, message, details? }`, and every answer carries the request id and ' +
  'the security headers (Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, ...; ' +
  'Strict-Transport-Security on HTTPS).\n\n' +
  'Task types, and so the task paths and schemas, are those registered in this deployment: each type ' +
  'has its own create path (`POST /v1/tasks/<type>`), input and result schema.';

/** Every module's registered route docs (see RouteDocSet), in module order. */
export function routeDocSets(app: NestFastifyApplication): RouteDocSet[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is RouteDocSet => instance instanceof RouteDocSet);
}

/** The document of this app: what its modules registered, for this configuration. */
export function buildOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const sets = [...new Set(routeDocSets(app))];
  if (config.ops.apiDocs) sets.push(docsRouteDocs());
  return buildDocument(sets, {
    title: 'Strata',
    version: 'v1',
    description: DESCRIPTION,
    servers: [
      {
        url: '{origin}',
        description: 'Where this service is reached',
        variables: { origin: { default: `http://localhost:${config.server.port}` } },
      },
    ],
    requestIdHeader: config.server.requestIdHeader,
    bodyLimitBytes: config.server.bodyLimitBytes,
  });
}

/** Swagger UI at /docs and the document at /docs/openapi.json (api and all roles, API_DOCS_ENABLED). */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  if (!config.server.runsApi || !config.ops.apiDocs) return;
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= buildOpenApiDocument(app, config)), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Strata API',
  });
}
