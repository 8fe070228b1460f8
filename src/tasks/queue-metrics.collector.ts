import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SCRAPE_CACHE_MS, SCRAPE_TIMEOUT_MS } from '../metrics/metrics.constants.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { ScrapeCache } from '../metrics/scrape-cache.util.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';

export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;
type QueueState = (typeof QUEUE_STATES)[number];
type Counts = Map<string, Record<QueueState, number>>;
const READ = [
  'waiting',
  'prioritized',
  'waiting-children',
  'delayed',
  'active',
  'completed',
  'failed',
] as const;

/**
 * `strata_queue_jobs{queue,state}` for every registered task type, read from BullMQ at scrape time with
 * `getJobCounts` (a handful of ZCARD/LLEN in one round trip per queue; never a scan of jobs). Prioritised
 * jobs count as waiting, as the tasks API shows them. While the queue Redis does not answer, the series
 * are left out: `strata_redis_up{role="queue"}` says why.
 */
@Injectable()
export class QueueMetricsCollector {
  private readonly counts: ScrapeCache<Counts>;

  constructor(metrics: MetricsRegistry, queues: TaskQueues, registry: TaskRegistry) {
    this.counts = new ScrapeCache(
      async () => {
        if (queues.redis.status !== 'ready') throw new Error(`queue Redis ${queues.redis.status}`);
        const types = [...registry.all().keys()];
        const rows = await Promise.all(
          types.map(async (type) => {
            // On a Redis Cluster a type's pipeline steps wait in its flow queue: counted with its own.
            const all = await Promise.all(queues.queuesOf(type).map((queue) => queue.getJobCounts(...READ)));
            const c = sum(all);
            const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
            return [type, { ...pick(c), waiting }] as const;
          }),
        );
        return new Map(rows);
      },
      SCRAPE_CACHE_MS,
      SCRAPE_TIMEOUT_MS,
    );
    const counts = this.counts;
    new Gauge({
      name: 'strata_queue_jobs',
      help: 'Jobs per task queue and state (waiting includes prioritised jobs), read from BullMQ at scrape time',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const [queue, byState] of (await counts.get()) ?? []) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state]);
        }
      },
    });
  }
}

function pick(c: Record<string, number>): Record<QueueState, number> {
  return Object.fromEntries(QUEUE_STATES.map((s) => [s, c[s] ?? 0])) as Record<QueueState, number>;
}

function sum(counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [state, n] of Object.entries(c)) total[state] = (total[state] ?? 0) + n;
  return total;
}
