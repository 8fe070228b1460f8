import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from './metrics.registry.js';
import { RouteHistogram } from './route-histogram.js';

/** The route label of requests no route matched (404s, scanners): one series however many URLs. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * `http_request_duration_seconds{method,route,status_code}`, recorded from Fastify's `onResponse` hook
 * (src/app.factory.ts) so every answer counts, including those Fastify gives before any Nest handler
 * runs (404, 413, bad JSON), and by the cache-hit fast path for its own.
 * `route` is the route's pattern (`/v1/taxonomy/:kind`), never the raw URL, so ids and slugs do not
 * multiply series.
 */
@Injectable()
export class HttpMetrics {
  private readonly duration: RouteHistogram;

  constructor(metrics: MetricsRegistry) {
    this.duration = new RouteHistogram(
      'http_request_duration_seconds',
      'HTTP requests by route pattern, method and status, from arrival to the last byte written',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      metrics.registry,
    );
  }

  /** One answer; also called by the cached-read fast path, whose answers Fastify never sees. */
  record(method: string, route: string, status: number, ms: number): void {
    this.duration.observe(method, route, status, ms / 1000);
  }
}
