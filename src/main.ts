import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createWorkerContext } from './app.factory.js';
import { ConfigError } from './config/config-error.js';
import { describeListenAddress } from './http/listen-address.util.js';
import { loadProcessConfig, type AppConfig } from './config/load-config.js';
import { parseRedisUrl } from './config/redis-topology.js';
import { AppLifecycle } from './health/app-lifecycle.service.js';
import { startLocalRedisIfNeeded, type LocalRedis } from './redis/local-redis.js';
import { verifyRedisTls } from './redis/verify-redis-tls.js';

const logger = new Logger('Main');

/** Starts the role APP_ROLE names: `api` (HTTP), `worker` (processors, optional health port) or `all`. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadProcessConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
    process.exit(78); // EX_CONFIG
  }

  // A certificate the configured CAs cannot verify will not verify on the next retry either: stop here.
  const { cache, queue, connectTimeoutMs } = config.redis;
  await verifyRedisTls('REDIS_URL', cache, connectTimeoutMs);
  await verifyRedisTls('QUEUE_REDIS_URL', queue, connectTimeoutMs);

  const localRedis = await startLocalRedisIfNeeded(config, config.server.executablePath);
  if (localRedis) {
    const local = parseRedisUrl(localRedis.url);
    config = { ...config, redis: { ...config.redis, cache: local, queue: local } };
  }

  const { role, runsApi, port, healthPort, host } = config.server;
  let app: INestApplicationContext;
  if (runsApi || healthPort > 0) {
    const http = await createHttpApp(config);
    await http.listen(runsApi ? port : healthPort, host);
    logger.log(`role ${role}: listening on ${describeListenAddress(http.getHttpServer().address())}`);
    app = http;
  } else {
    app = await createWorkerContext(config);
    await app.init();
    logger.log('role worker: processing queues (no HTTP port; set HEALTH_PORT for probes)');
  }
  const lifecycle = app.get(AppLifecycle);
  lifecycle.markRunning();
  installShutdown(app, lifecycle, config, localRedis);
}

function installShutdown(
  app: INestApplicationContext | NestFastifyApplication,
  lifecycle: AppLifecycle,
  config: AppConfig,
  localRedis: LocalRedis | undefined,
): void {
  const { shutdownDrainMs, shutdownGraceMs } = config.server;
  const shutdown = async (signal: string) => {
    if (lifecycle.state === 'stopping') return;
    lifecycle.beginShutdown();
    logger.log(`${signal}: readiness is now 503; closing in ${shutdownDrainMs} ms`);
    // Past the grace period, something is stuck: exit rather than hang the deployment.
    setTimeout(
      () => {
        logger.error(`shutdown took longer than ${shutdownDrainMs + shutdownGraceMs} ms; exiting`);
        process.exit(1);
      },
      shutdownDrainMs + shutdownGraceMs + 5_000,
    ).unref();
    await new Promise((r) => setTimeout(r, shutdownDrainMs));
    // Closes the listener (in-flight requests finish), then workers (active jobs finish within
    // SHUTDOWN_GRACE_MS), then queues, then database and Redis clients.
    await app.close();
    localRedis?.stop();
    logger.log('shutdown complete');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}

/** Errors that tell the operator what to change; a stack trace would only bury the message. */
const OPERATOR_ERRORS = ['RedisNotAvailableError', 'DataDirInUseError', 'RedisTlsError'];

main().catch((err: Error) => {
  // A setting only checkable once the modules are loaded (a <TYPE>_CONCURRENCY naming no registered type).
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
    process.exit(78); // EX_CONFIG
  }
  process.stderr.write(`${OPERATOR_ERRORS.includes(err.name) ? err.message : err.stack}\n`);
  // An untrusted certificate is a configuration problem, reported as the config errors are.
  process.exit(err.name === 'RedisTlsError' ? 78 : 1);
});
