import { join } from 'node:path';
import { z } from 'zod';
import { booleanFlag, defineConfigSection, intFrom, optionalString, stringList } from './config-section.js';

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export const DEPENDENCIES = ['redis-cache', 'redis-queue', 'database'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

/** What readiness needs per role unless READINESS_REQUIRES says otherwise (see README, "Health"). */
const DEFAULT_READINESS: Record<AppRole, Dependency[]> = {
  // A shared Redis or database outage must not take every API instance out of rotation: the cache
  // degrades to memory and enqueueing answers 503 by itself.
  api: [],
  worker: ['redis-queue'],
  all: [],
};

export const serverConfig = defineConfigSection(
  {
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    APP_ROLE: z.enum(APP_ROLES).default('all'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: intFrom(0, 65535, 3000),
    HEALTH_PORT: intFrom(0, 65535, 0),
    DATA_DIR: z.string().min(1).default('./var'),
    ARTIFACTS_DIR: optionalString(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: booleanFlag(false),
    SHUTDOWN_GRACE_MS: intFrom(0, 10 * 60_000, 10_000),
    SHUTDOWN_DRAIN_MS: intFrom(0, 60_000, 1_000),
    READINESS_REQUIRES: stringList(z.enum(DEPENDENCIES)),
    BODY_LIMIT_BYTES: intFrom(1024, 64 * 1024 * 1024, 1024 * 1024),
    TRUST_PROXY: booleanFlag(false),
    REQUEST_ID_HEADER: optionalString(),
  },
  (v, env) => ({
    nodeEnv: v.NODE_ENV,
    isProduction: v.NODE_ENV === 'production',
    role: v.APP_ROLE,
    runsApi: v.APP_ROLE !== 'worker',
    runsWorkers: v.APP_ROLE !== 'api',
    host: v.HOST,
    port: v.PORT,
    /** 0 = a worker-only process opens no HTTP port at all. */
    healthPort: v.HEALTH_PORT,
    dataDir: v.DATA_DIR,
    /**
     * Task files (PDFs): written by workers, streamed by the API, so processes of split roles must share
     * it (one volume or network filesystem).
     */
    artifactsDir: v.ARTIFACTS_DIR ?? join(v.DATA_DIR, 'artifacts'),
    logLevel: v.LOG_LEVEL,
    logPretty: v.LOG_PRETTY,
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    /** Readiness answers 503 this long before the listener closes, so load balancers stop sending. */
    shutdownDrainMs: v.SHUTDOWN_DRAIN_MS,
    readinessRequires: v.READINESS_REQUIRES ?? DEFAULT_READINESS[v.APP_ROLE],
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    trustProxy: v.TRUST_PROXY,
    /** Where `npm start` looks for redis-server when it has to start one. */
    executablePath: env.PATH ?? '',
    requestIdHeader: (v.REQUEST_ID_HEADER ?? 'x-request-id').toLowerCase(),
  }),
);
