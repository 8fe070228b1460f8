import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/load-config.js';
import { AppLifecycle } from '../../src/health/app-lifecycle.service.js';
import { watchContract } from './contract/contract-watch.js';
import { prefillPglite } from './pglite-template.js';

/** The real application, as main.ts builds it, listening on a free loopback port. */
export async function startTestApp(
  config: AppConfig,
  extra: NonNullable<ModuleMetadata['imports']> = [],
): Promise<NestFastifyApplication> {
  if (!config.database.url) await prefillPglite(config.server.dataDir);
  const app = await createHttpApp(config, extra);
  watchContract(app, config);
  await app.listen(0, '127.0.0.1');
  app.get(AppLifecycle).markRunning();
  return app;
}
