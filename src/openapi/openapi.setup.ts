import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/load-config.js';
import { TaskRegistry } from '../tasks/task-registry.service.js';
import { addCommonComponents, applyRouteDocs } from './apply-route-docs.js';
import { BULL_BOARD_ROUTES, DOCS_ROUTES, OPERATIONS_ROUTES } from './routes/operations.routes.js';
import { PIPELINE_ROUTES } from './routes/pipelines.routes.js';
import { taskRouteDocs } from './routes/tasks.routes.js';
import { TAXONOMY_ROUTES } from './routes/taxonomy.routes.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** The document: what @nestjs/swagger reads from the controllers, completed by the route docs. */
export function buildOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const base = new DocumentBuilder()
    .setTitle('Strata')
    .setDescription(
      'Taxonomy reads behind a resilient cache, task queues and pipelines of tasks. Send an API key as ' +
        '`Authorization: Bearer <key>` or `X-API-Key: <key>`. Every 4xx and 5xx answer has the body ' +
        '`ErrorBody`: `{ statusCode, error, message, details? }`.',
    )
    .setVersion('v1')
    .build();
  const document = SwaggerModule.createDocument(app, base, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  addCommonComponents(document);
  const types = [...app.get(TaskRegistry, { strict: false }).all().values()];
  applyRouteDocs(document, {
    ...OPERATIONS_ROUTES,
    ...TAXONOMY_ROUTES,
    ...taskRouteDocs(types),
    ...PIPELINE_ROUTES,
  });
  if (config.ops.apiDocs) applyRouteDocs(document, DOCS_ROUTES);
  if (config.ops.bullBoard) applyRouteDocs(document, BULL_BOARD_ROUTES);
  return document;
}

/** Swagger UI at /docs and the document at /docs/openapi.json (api and all roles, API_DOCS_ENABLED). */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  if (!config.server.runsApi || !config.ops.apiDocs) return;
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app, config), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Strata API',
  });
}
