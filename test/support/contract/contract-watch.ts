import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../../src/config/load-config.js';
import { buildOpenApiDocument } from '../../../src/openapi/openapi.setup.js';
import { checkExchange } from './contract-log.js';
import { ContractValidator } from './contract-validator.js';
import { tapResponses } from './response-tap.js';

/**
 * Checks every answer `app` sends against the document it serves (built from the same modules and config,
 * whether or not API_DOCS_ENABLED serves it). Called by startTestApp, so every e2e test is covered.
 */
export function watchContract(app: NestFastifyApplication, config: AppConfig): void {
  const validator = new ContractValidator(JSON.parse(JSON.stringify(buildOpenApiDocument(app, config))));
  tapResponses(app.getHttpServer() as Server, (exchange) => checkExchange(validator, exchange));
}
