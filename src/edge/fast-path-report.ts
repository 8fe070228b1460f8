import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { HealthNotes } from '../health/health-notes.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';

/**
 * What a cache hit costs when it goes through Nest instead of the fast path, as measured by
 * `npm run bench:taxonomy` (docs/benchmarks.md: the hit cases with CACHE_FAST_PATH on and off, wrk,
 * the same run). Quoted in the warning an operator sees when the fast path steps aside.
 */
export const NEST_PATH_COST = 'a hit through Nest serves about 0.3x the requests a second of the fast path';

/**
 * Says whether the fast path serves cache hits, and if not why, in the three places an operator looks:
 * one log line at start (a warning when the app made it step aside), the gauge
 * `strata_cache_fast_path_enabled` in /metrics, and `cache-fast-path` in the /health details.
 */
@Injectable()
export class FastPathReport {
  private readonly logger = new Logger(FastPathReport.name);
  private enabled = false;
  /** Why hits go through Nest; undefined while the fast path serves them. */
  reason?: string = 'not attached (no HTTP API in this role)';

  constructor(metrics: MetricsRegistry, notes: HealthNotes) {
    const enabled = () => this.enabled;
    new Gauge({
      name: 'strata_cache_fast_path_enabled',
      help: '1 while cache hits are answered by the fast path (src/edge/), 0 while they go through Nest',
      registers: [metrics.registry],
      collect() {
        this.set(enabled() ? 1 : 0);
      },
    });
    notes.set('cache-fast-path', () =>
      this.enabled ? { state: 'on' } : { state: 'off', reason: this.reason },
    );
  }

  on(routes: readonly string[]): void {
    this.enabled = true;
    this.reason = undefined;
    this.logger.log(`cache hits of ${routes.length} routes are answered by the fast path (src/edge/)`);
  }

  /** `warn`: the app made it step aside (CACHE_FAST_PATH=off is the operator's own choice: no warning). */
  off(reason: string, warn = true): void {
    this.enabled = false;
    this.reason = reason;
    const line = `cache hits go through Nest: ${reason}; ${NEST_PATH_COST} (docs/benchmarks.md)`;
    if (!warn) return this.logger.log(line);
    this.logger.warn(
      `${line}. A request policy (docs/extending.md) runs on both roads and keeps the fast path.`,
    );
  }
}
