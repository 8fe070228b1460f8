import { z } from 'zod';
import { defineConfigSection, type Env, intFrom } from './config-section.js';

/** `<TYPE>_CONCURRENCY`: jobs per worker process for a task type (`job-search` reads JOB_SEARCH_CONCURRENCY). */
const CONCURRENCY_VARIABLE = /^([A-Z][A-Z0-9_]{0,39})_CONCURRENCY$/;

/**
 * Every `<TYPE>_CONCURRENCY` set, for any type (a type an extension registers too): values by type name,
 * and a problem for each that is not a whole number from 1 to 1000. Whether each names a registered type
 * is checked when the workers start (TaskWorkers), where the registry is known.
 */
function concurrencyOf(env: Env): { byType: Record<string, number>; problems: string[] } {
  const byType: Record<string, number> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    const match = CONCURRENCY_VARIABLE.exec(name);
    if (!match || raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 1000) {
      problems.push(`${name}: must be a whole number from 1 to 1000`);
      continue;
    }
    byType[match[1].toLowerCase().replaceAll('_', '-')] = value;
  }
  return { byType, problems };
}

/** The variable that sets a task type's concurrency. */
export const concurrencyVariableOf = (type: string) =>
  `${type.toUpperCase().replaceAll('-', '_')}_CONCURRENCY`;

export const queueConfig = defineConfigSection(
  {
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "_" and "-" only')
      .default('strata'),
    TASK_ATTEMPTS: intFrom(1, 50, 3),
    TASK_BACKOFF_MS: intFrom(0, 3_600_000, 1_000),
    QUEUE_LOCK_DURATION_MS: intFrom(0, 3_600_000, 0),
    QUEUE_STALLED_INTERVAL_MS: intFrom(100, 3_600_000, 30_000),
    QUEUE_MAX_STALLED_COUNT: intFrom(0, 100, 1),
    TASK_COMPLETED_MAX_AGE_S: intFrom(1, 365 * 86_400, 86_400),
    TASK_COMPLETED_MAX_COUNT: intFrom(0, 10_000_000, 1_000),
    TASK_FAILED_MAX_AGE_S: intFrom(1, 365 * 86_400, 7 * 86_400),
    TASK_FAILED_MAX_COUNT: intFrom(0, 10_000_000, 5_000),
    QUEUE_EVENTS_MAX_LEN: intFrom(100, 1_000_000, 2_000),
    ENQUEUE_TIMEOUT_MS: intFrom(50, 1_000, 750),
    QUEUE_MIN_REPLICAS_ACK: intFrom(0, 16, 0),
    QUEUE_REPLICAS_ACK_TIMEOUT_MS: intFrom(10, 1_000, 250),
    TASK_IDEMPOTENCY_TTL_S: intFrom(60, 30 * 86_400, 86_400),
    TASK_EVENTS_HEARTBEAT_MS: intFrom(100, 120_000, 15_000),
    EMAIL_FROM: z.string().min(3).max(320).default('Strata <no-reply@strata.invalid>'),
  },
  (v, env) => ({
    prefix: v.QUEUE_PREFIX,
    attempts: v.TASK_ATTEMPTS,
    backoffMs: v.TASK_BACKOFF_MS,
    /** Per task type, from `<TYPE>_CONCURRENCY`; a type not listed uses its definition's default. */
    concurrency: concurrencyOf(env).byType,
    /** 0: each type's own lock duration (see its definition). */
    lockDurationMs: v.QUEUE_LOCK_DURATION_MS,
    stalledIntervalMs: v.QUEUE_STALLED_INTERVAL_MS,
    maxStalledCount: v.QUEUE_MAX_STALLED_COUNT,
    removeOnComplete: { age: v.TASK_COMPLETED_MAX_AGE_S, count: v.TASK_COMPLETED_MAX_COUNT },
    removeOnFail: { age: v.TASK_FAILED_MAX_AGE_S, count: v.TASK_FAILED_MAX_COUNT },
    eventsMaxLen: v.QUEUE_EVENTS_MAX_LEN,
    /** Bound on one enqueue; past it the API answers 503 instead of waiting for Redis. */
    enqueueTimeoutMs: v.ENQUEUE_TIMEOUT_MS,
    /**
     * Replicas that must acknowledge an enqueue (`WAIT`) before it answers 202; 0: none (Redis's
     * asynchronous replication: a failover may lose the last writes). Bounded by `replicasAckTimeoutMs`.
     */
    minReplicasAck: v.QUEUE_MIN_REPLICAS_ACK,
    replicasAckTimeoutMs: v.QUEUE_REPLICAS_ACK_TIMEOUT_MS,
    idempotencyTtlS: v.TASK_IDEMPOTENCY_TTL_S,
    eventsHeartbeatMs: v.TASK_EVENTS_HEARTBEAT_MS,
    emailFrom: v.EMAIL_FROM,
  }),
  (out, env) => [
    ...(out.minReplicasAck > 0 && out.replicasAckTimeoutMs >= out.enqueueTimeoutMs
      ? [
          'QUEUE_REPLICAS_ACK_TIMEOUT_MS: must be less than ENQUEUE_TIMEOUT_MS, which bounds the whole enqueue',
        ]
      : []),
    ...concurrencyOf(env).problems,
  ],
);
