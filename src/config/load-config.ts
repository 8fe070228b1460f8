import { z } from 'zod';
import { adaptersConfig } from './adapters.config.js';
import { authConfig } from './auth.config.js';
import { cacheConfig } from './cache.config.js';
import { ConfigError } from './config-error.js';
import type { ConfigSection, Env } from './config-section.js';
import { databaseConfig } from './database.config.js';
import { extensionsConfig } from './extensions.config.js';
import { operationsConfig } from './operations.config.js';
import { pipelinesConfig } from './pipelines.config.js';
import { queueConfig } from './queue.config.js';
import { redisConfig } from './redis.config.js';
import { securityConfig } from './security.config.js';
import { serverConfig } from './server.config.js';

/** Every module's section; a new module adds one line here. */
export const SECTIONS = {
  server: serverConfig,
  redis: redisConfig,
  database: databaseConfig,
  auth: authConfig,
  queue: queueConfig,
  cache: cacheConfig,
  ops: operationsConfig,
  adapters: adaptersConfig,
  security: securityConfig,
  pipelines: pipelinesConfig,
  extensions: extensionsConfig,
};

type Sections = typeof SECTIONS;
export type AppConfig = {
  [K in keyof Sections]: Sections[K] extends ConfigSection<any, infer Out> ? Out : never;
};

/**
 * Validates the whole environment once. Every problem is reported together, each naming its variable,
 * and never echoing a value (some are secrets).
 */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(SECTIONS) as [
    string,
    ConfigSection<z.ZodRawShape, unknown>,
  ][]) {
    const parsed = z.object(section.shape).safeParse(env);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0])}: ${issue.message}`);
      continue;
    }
    out[name] = section.map(parsed.data, env);
    problems.push(...(section.check?.(out[name], env) ?? []));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as AppConfig;
}

/** The entry points' way in: the only read of `process.env` in the codebase. */
export function loadProcessConfig(): AppConfig {
  return loadConfig(process.env);
}
