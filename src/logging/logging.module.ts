import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Logger } from 'pino';
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

export function createRootLogger(config: AppConfig): Logger {
  return pino({
    level: config.server.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(config.server.logPretty ? { transport: { target: 'pino-pretty' } } : {}),
  });
}

@Global()
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = createRootLogger(config);
    return {
      module: LoggingModule,
      // Requests are logged by a Fastify hook (request-logging.ts), which sees every response,
      // including those answered before Nest's middleware runs; pino-http's own line is off.
      imports: [LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false } })],
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      exports: [ROOT_LOGGER],
    };
  }
}
