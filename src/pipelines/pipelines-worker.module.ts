import { Global, Module } from '@nestjs/common';
import { TASK_RUN_HOOK } from '../tasks/task-processor.host.js';
import { TasksCoreModule } from '../tasks/tasks-core.module.js';
import { PipelineStepHook } from './pipeline-step.hook.js';
import { PipelineStore } from './pipeline-store.service.js';

/**
 * The worker role's half: the hook TaskWorkers hands to every processor, so any task type can be a step.
 * Global because TaskWorkers (in the tasks module) injects it, optionally, without importing pipelines.
 */
@Global()
@Module({
  imports: [TasksCoreModule],
  providers: [PipelineStore, PipelineStepHook, { provide: TASK_RUN_HOOK, useExisting: PipelineStepHook }],
  exports: [TASK_RUN_HOOK],
})
export class PipelinesWorkerModule {}
