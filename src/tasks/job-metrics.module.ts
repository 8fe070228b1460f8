import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobMetrics } from '../metrics/job-metrics.service.js';
import { TasksWorkerModule } from './tasks-worker.module.js';

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
