import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../../src/config/load-config.js';
import { buildOpenApiDocument } from '../../../src/openapi/openapi.setup.js';
import { ContractValidator, type Exchange } from './contract-validator.js';
import { tapResponses } from './response-tap.js';

/** What this test file's apps answered, checked against their documents (read by contract.setup.ts). */
export const contractLog = { checked: 0, violations: [] as string[] };

/** Keeps checking: a test that provokes one violation must not hide the others. */
export function checkExchange(validator: ContractValidator, exchange: Exchange): void {
  contractLog.checked++;
  for (const violation of validator.check(exchange)) contractLog.violations.push(violation);
}

/**
 * Checks every answer `app` sends against the document it serves (built from the same modules and config,
 * whether or not API_DOCS_ENABLED serves it). Called by startTestApp, so every e2e test is covered.
 */
export function watchContract(app: NestFastifyApplication, config: AppConfig): void {
  const validator = new ContractValidator(JSON.parse(JSON.stringify(buildOpenApiDocument(app, config))));
  tapResponses(app.getHttpServer() as Server, (exchange) => {
    // After the answer has gone: the check never sits between a test and the answer it waits for.
    setImmediate(() => checkExchange(validator, exchange));
  });
}
