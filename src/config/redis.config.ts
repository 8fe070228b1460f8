import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineConfigSection, intFrom, optionalString } from './config-section.js';
import { parseRedisUrl, RedisUrlError, type RedisTopology } from './redis-topology.js';

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** A Redis URL in any accepted form, parsed once here; the problem is named, the URL never echoed. */
const redisUrl = () =>
  optionalString().transform((url, ctx): RedisTopology | undefined => {
    if (url === undefined) return undefined;
    try {
      return parseRedisUrl(url);
    } catch (err) {
      if (!(err instanceof RedisUrlError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });

/** A PEM file read at start, so a missing or unreadable CA stops the process naming the variable. */
const pemFile = () =>
  optionalString().transform((path, ctx): string | undefined => {
    if (path === undefined) return undefined;
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `cannot read the file (${(err as NodeJS.ErrnoException).code})`,
      });
      return z.NEVER;
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      ctx.addIssue({ code: 'custom', message: 'the file holds no PEM certificate' });
      return z.NEVER;
    }
    return pem;
  });

export const redisConfig = defineConfigSection(
  {
    REDIS_URL: redisUrl(),
    QUEUE_REDIS_URL: redisUrl(),
    SENTINEL_PASSWORD: optionalString(),
    REDIS_TLS_CA_FILE: pemFile(),
    REDIS_TLS_SERVERNAME: optionalString(),
    REDIS_COMMAND_TIMEOUT_MS: intFrom(50, 10_000, 500),
    REDIS_CONNECT_TIMEOUT_MS: intFrom(100, 30_000, 2_000),
  },
  (v) => {
    // What the URL cannot carry, applied to every node of both topologies.
    const complete = (topology: RedisTopology): RedisTopology => ({
      ...topology,
      ...(topology.tls && {
        tls: {
          ...(v.REDIS_TLS_CA_FILE && { ca: v.REDIS_TLS_CA_FILE }),
          ...(v.REDIS_TLS_SERVERNAME && { servername: v.REDIS_TLS_SERVERNAME }),
        },
      }),
      ...(topology.kind === 'sentinel' && { sentinelPassword: v.SENTINEL_PASSWORD }),
    });
    const cache = v.REDIS_URL ?? parseRedisUrl(LOCAL_REDIS_URL);
    return {
      /** `REDIS_URL`: the cache's topology. */
      cache: complete(cache),
      /** `QUEUE_REDIS_URL`, else `REDIS_URL`: BullMQ, idempotency, rate limits, and the rest. */
      queue: complete(v.QUEUE_REDIS_URL ?? cache),
      /** No Redis was configured: `npm start` may start a private redis-server (see local-redis.ts). */
      autoStart: v.REDIS_URL === undefined && v.QUEUE_REDIS_URL === undefined,
      /** Bound on every command from a fail-fast (cache, producer) connection. */
      commandTimeoutMs: v.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: v.REDIS_CONNECT_TIMEOUT_MS,
    };
  },
  (out, env) => {
    const topologies = [out.cache, out.queue];
    const problems: string[] = [];
    if (env.REDIS_TLS_CA_FILE && !topologies.some((t) => t.tls)) {
      problems.push('REDIS_TLS_CA_FILE: set, but neither REDIS_URL nor QUEUE_REDIS_URL is a rediss… URL');
    }
    if (env.REDIS_TLS_SERVERNAME && !topologies.some((t) => t.tls)) {
      problems.push('REDIS_TLS_SERVERNAME: set, but neither REDIS_URL nor QUEUE_REDIS_URL is a rediss… URL');
    }
    if (env.SENTINEL_PASSWORD && !topologies.some((t) => t.kind === 'sentinel')) {
      problems.push(
        'SENTINEL_PASSWORD: set, but neither REDIS_URL nor QUEUE_REDIS_URL is a …+sentinel:// URL',
      );
    }
    return problems;
  },
);
