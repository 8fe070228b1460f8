import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one prom-client registry. A provider rather than prom-client's global `register`, so
 * two apps in one process (the e2e tests, a worker and an API side by side) never share series.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    // Node's own gauges (event loop lag, heap, GC, file descriptors): the first thing to look at when
    // latency rises without a Redis or queue cause.
    collectDefaultMetrics({ register: this.registry });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
