import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TasksWorkerModule } from '../tasks/tasks.module.js';
import { JobMetrics } from './job-metrics.service.js';

/**
 * Job metrics for the roles that run workers. Importing TasksWorkerModule makes it deeper in the module
 * tree than this one, and Nest runs the deeper modules' bootstrap hooks first: the workers exist by the
 * time JobMetrics looks for them.
 */
@Module({
  imports: [DiscoveryModule, TasksWorkerModule],
  providers: [JobMetrics],
})
export class JobMetricsModule {}
