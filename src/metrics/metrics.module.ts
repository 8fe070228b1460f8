import { Global, Module } from '@nestjs/common';
import { CacheMetricsCollector } from './cache-metrics.collector.js';
import { HttpMetrics } from './http-metrics.service.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.registry.js';
import { RedisMetricsCollector } from './redis-metrics.collector.js';
import { metricsRouteDocs } from './metrics.route-docs.js';

/**
 * `GET /metrics` in every role: on the API port, or on a worker's HEALTH_PORT. The collectors register
 * their series when Nest creates them; nothing calls them.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, CacheMetricsCollector, RedisMetricsCollector, metricsRouteDocs],
  exports: [MetricsRegistry, HttpMetrics],
})
export class MetricsModule {}
