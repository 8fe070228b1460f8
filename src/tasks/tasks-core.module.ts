import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ARTIFACT_STORE, artifactStoreProvider } from '../processors/shared/artifact-store.provider.js';
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
  providers: [...EXPORTED, artifactStoreProvider],
  exports: [...EXPORTED, ARTIFACT_STORE],
})
export class TasksCoreModule {}
