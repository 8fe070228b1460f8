import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { loadExtensions } from './app-extensions.js';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/load-config.js';
import { CachedRouteFastPath } from './edge/cached-route.fast-path.js';
import { EdgeHeaders } from './edge/edge-headers.js';
import { frameworkErrorAnswer } from './http/framework-errors.js';
import { applyCors } from './http/http-security.js';
import { requestIdGenerator } from './http/request-id.js';
import { requestLog } from './http/request-logging.js';
import { ROOT_LOGGER } from './logging/logging.module.js';
import { HttpMetrics, UNMATCHED_ROUTE } from './metrics/http-metrics.service.js';
import { setupOpenApi } from './openapi/openapi.setup.js';

type Imports = NonNullable<ModuleMetadata['imports']>;

export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    // In-flight requests finish on close; idle keep-alive sockets are closed so shutdown is not held up.
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: requestIdGenerator(config.server.requestIdHeader),
    frameworkErrors: frameworkErrorAnswer(config.server.requestIdHeader),
  });
}

/**
 * The HTTP application (roles `api` and `all`, or a worker's health port). Not yet listening. The
 * modules STRATA_EXTENSIONS names come first among `extra`, so main.ts and the tests load them alike.
 */
export async function createHttpApp(config: AppConfig, extra: Imports = []): Promise<NestFastifyApplication> {
  const extensions = await loadExtensions(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, [...extensions, ...extra]),
    createHttpAdapter(config),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  const headers = new EdgeHeaders(config);
  headers.install(fastify);
  const log = requestLog(app.get(ROOT_LOGGER));
  const metrics = app.get(HttpMetrics);
  // Every answer's duration series and log line: one onResponse hook for Fastify's (a callback hook:
  // an async one costs every request a promise), and the fast path's own call for its answers.
  const record = (id: string, method: string, route: string, url: string, status: number, ms: number) => {
    metrics.record(method, route, status, ms);
    log(id, method, url, status, ms);
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    record(request.id, request.method, route, request.url, reply.statusCode, reply.elapsedTime);
    done();
  });
  applyCors(app, config);
  if (config.server.runsApi) {
    app.get(CachedRouteFastPath).attach(fastify, headers, (id, route, url, status, ms) =>
      record(id, 'GET', route, url, status, ms),
    );
  }
  setupOpenApi(app, config);
  return app;
}

/** A worker without an HTTP port: processors only (and the modules STRATA_EXTENSIONS names). */
export async function createWorkerContext(
  config: AppConfig,
  extra: Imports = [],
): Promise<INestApplicationContext> {
  const extensions = await loadExtensions(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, [...extensions, ...extra]),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  return app;
}
