import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Per-attempt job metrics of this process's workers: `strata_job_duration_seconds{queue,outcome}` (for
 * p50/p95/p99), `strata_jobs_completed_total{queue}` and `strata_jobs_failed_total{queue,final}`, where
 * `final="true"` marks a job that will not be retried (attempts used up, or an unrecoverable error).
 * Listens to every `@Processor`'s Worker; JobMetricsModule imports the workers' module, so Nest has
 * created them (in their own bootstrap hook) before this one runs.
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  private readonly duration: Histogram<'queue' | 'outcome'>;
  private readonly completed: Counter<'queue'>;
  private readonly failed: Counter<'queue' | 'final'>;
  private readonly watched = new Set<Worker>();

  constructor(
    metrics: MetricsRegistry,
    private readonly discovery: DiscoveryService,
  ) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'strata_job_duration_seconds',
      help: 'Processing time of one job attempt, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.completed = new Counter({
      name: 'strata_jobs_completed_total',
      help: 'Jobs completed by this process, by queue',
      labelNames: ['queue'],
      registers,
    });
    this.failed = new Counter({
      name: 'strata_jobs_failed_total',
      help: 'Failed job attempts by queue; final="true" when the job will not be retried',
      labelNames: ['queue', 'final'],
      registers,
    });
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host: unknown = wrapper.instance;
      if (!(host instanceof WorkerHost)) continue;
      try {
        this.watch(host.worker);
        // A Cluster's flow queue has a worker of its own (see TaskWorkers); its jobs count the same.
        const flowWorker = (host as { flowWorker?: Worker }).flowWorker;
        if (flowWorker) this.watch(flowWorker);
      } catch {
        // A processor whose worker was never made (not one of the registered task types): nothing runs.
      }
    }
  }

  /** Starts counting one worker's jobs (idempotent). */
  watch(worker: Worker): void {
    if (this.watched.has(worker)) return;
    this.watched.add(worker);
    const queue = worker.name;
    this.completed.inc({ queue }, 0);
    this.failed.inc({ queue, final: 'true' }, 0);
    worker.on('completed', (job: Job) => {
      this.completed.inc({ queue });
      this.duration.observe({ queue, outcome: 'completed' }, secondsOf(job));
    });
    worker.on('failed', (job: Job | undefined, err: Error) => {
      const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.failed.inc({ queue, final: String(final) });
      if (job) this.duration.observe({ queue, outcome: 'failed' }, secondsOf(job));
    });
  }
}

function secondsOf(job: Job): number {
  const started = job.processedOn ?? job.timestamp;
  return Math.max(0, (job.finishedOn ?? Date.now()) - started) / 1000;
}
