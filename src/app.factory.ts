import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { CachedRouteFastPath } from './edge/cached-route.fast-path.js';
import type { AppConfig } from './config/load-config.js';
import {
  applyCors,
  applySecurityHeaders,
  corsHeadersWithoutOrigin,
  requestIsSecure,
  securityHeaderList,
} from './http/http-security.js';
import { echoRequestId, requestIdGenerator, requestIdReader } from './http/request-id.js';
import { logRequests, requestLog } from './http/request-logging.js';
import { ROOT_LOGGER } from './logging/logging.module.js';
import { HttpMetrics } from './metrics/http-metrics.service.js';
import { setupOpenApi } from './openapi/openapi.setup.js';

type Imports = NonNullable<ModuleMetadata['imports']>;

export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    // In-flight requests finish on close; idle keep-alive sockets are closed so shutdown is not held up.
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: requestIdGenerator(config.server.requestIdHeader),
  });
  echoRequestId(adapter.getInstance(), config.server.requestIdHeader);
  applySecurityHeaders(adapter.getInstance());
  return adapter;
}

/** The HTTP application (roles `api` and `all`, or a worker's health port). Not yet listening. */
export async function createHttpApp(config: AppConfig, extra: Imports = []): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, extra),
    createHttpAdapter(config),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  const log = requestLog(app.get(ROOT_LOGGER));
  logRequests(fastify, log);
  applyCors(app, config);
  const metrics = app.get(HttpMetrics);
  metrics.attach(fastify);
  if (config.server.runsApi) {
    app.get(CachedRouteFastPath).attach(fastify, {
      requestId: requestIdReader(config.server.requestIdHeader),
      requestIdHeader: config.server.requestIdHeader,
      securityHeaders: securityHeaderList,
      secure: requestIsSecure(config.server.trustProxy),
      corsHeaders: corsHeadersWithoutOrigin(config),
      answered: (id, route, url, status, ms) => {
        metrics.record('GET', route, status, ms);
        log(id, 'GET', url, status, ms);
      },
    });
  }
  setupOpenApi(app, config);
  return app;
}

/** A worker without an HTTP port: processors only. */
export async function createWorkerContext(
  config: AppConfig,
  extra: Imports = [],
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, extra), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  return app;
}
