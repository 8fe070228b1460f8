import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ARTIFACT_STORE, artifactStoreProvider } from '../artifacts/artifact-store.provider.js';
import { QueueMetricsCollector } from './queue-metrics.collector.js';
import { TaskIndex } from './task-index.service.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';
import { TaskStore } from './task-store.service.js';

const EXPORTED = [TaskRegistry, TaskQueues, TaskIndex, TaskStore];

/**
 * What the api and worker roles share: the registry, the producer queues and task reads. Global so that a
 * task type's processor module, wherever it is registered from, can read other tasks and artifacts.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  // QueueMetricsCollector registers strata_queue_jobs on the global MetricsRegistry, in every role.
  providers: [...EXPORTED, artifactStoreProvider, QueueMetricsCollector],
  exports: [...EXPORTED, ARTIFACT_STORE],
})
export class TasksCoreModule {}
