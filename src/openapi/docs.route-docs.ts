import { z } from 'zod';
import { OPERATIONS_TAG } from '../http/route-doc.js';
import { RouteDocSet } from '../http/route-doc-set.js';

/** Served by Swagger UI's plugin rather than a controller; added when API_DOCS_ENABLED. */
export function docsRouteDocs(): RouteDocSet {
  return new RouteDocSet([OPERATIONS_TAG], () => ({
    'GET /docs': {
      operationId: 'getApiDocsUi',
      summary: 'Swagger UI for this document',
      tag: OPERATIONS_TAG.name,
      access: 'public',
      responses: { 200: { description: 'The UI', schema: z.string(), contentType: 'text/html' } },
    },
    'GET /docs/openapi.json': {
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document',
      description:
        'Built from the route docs every loaded module registers, so it lists exactly this deployment’s task types.',
      tag: OPERATIONS_TAG.name,
      access: 'public',
      responses: {
        200: {
          description: 'The document',
          schema: z.looseObject({ openapi: z.string() }).meta({ id: 'OpenApiDocument' }),
        },
      },
    },
  }));
}
