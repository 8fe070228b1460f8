import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import { pino, type Logger as PinoInstance } from 'pino';
import type { AppConfig } from '../config/load-config.js';

/** The process's one pino instance: Nest's `Logger` writes through it, and so does the request log. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Paths pino blanks in every line: keys, credentials, and task inputs never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.apiKey',
  '*.input',
];

export function createRootLogger(config: AppConfig): PinoInstance {
  return pino({
    level: config.server.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(config.server.logPretty ? { transport: { target: 'pino-pretty' } } : {}),
  });
}

/**
 * nestjs-pino's `Logger` (Nest's logger service over our pino instance) without its LoggerModule, whose
 * Nest middleware would bind a child logger to every request: requests are logged by a Fastify hook
 * (request-logging.ts) that sees every answer, the fast path's included, and a middleware engine run
 * for every request only for that binding is work the Nest road does not need (docs/benchmarks.md);
 * it would also make the fast path step aside. A 5xx's log line names its request id.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = createRootLogger(config);
    const params: Params = { pinoHttp: { logger, autoLogging: false } };
    return {
      module: LoggingModule,
      providers: [
        { provide: PARAMS_PROVIDER_TOKEN, useValue: params },
        PinoLogger,
        Logger,
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [Logger, PinoLogger, ROOT_LOGGER],
    };
  }
}
