import { Module } from '@nestjs/common';
import { TasksCoreModule } from '../tasks/tasks-core.module.js';
import { PipelineBudget } from './pipeline-budget.js';
import { PipelineEvents } from './pipeline-events.service.js';
import { PipelineFlows } from './pipeline-flows.service.js';
import { PipelineStore } from './pipeline-store.service.js';
import { PipelinesController } from './pipelines.controller.js';
import { PipelinesService } from './pipelines.service.js';
import { pipelinesRouteDocs } from './pipelines.route-docs.js';

/** The api role's half: the REST API; it queues steps and never runs them. */
@Module({
  imports: [TasksCoreModule],
  controllers: [PipelinesController],
  providers: [
    PipelinesService,
    PipelineStore,
    PipelineFlows,
    PipelineBudget,
    PipelineEvents,
    pipelinesRouteDocs,
  ],
})
export class PipelinesApiModule {}
