import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BullBoardModule } from './admin/bull-board.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/load-config.js';
import { DatabaseModule } from './database/database.module.js';
import { EdgeModule } from './edge/edge.module.js';
import { HealthModule } from './health/health.module.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ResilientCacheModule } from './cache/cache.module.js';
import { TaxonomyHttpModule } from './taxonomy/taxonomy-http.module.js';
import { TaxonomyModule } from './taxonomy/taxonomy.module.js';
import { JobMetricsModule } from './tasks/job-metrics.module.js';
import { TaskTypeModule } from './tasks/task-type.module.js';
import { TasksApiModule, TasksWorkerModule } from './tasks/tasks.module.js';
import { TASK_TYPES } from './task-types.js';
import { PipelinesApiModule, PipelinesWorkerModule } from './pipelines/pipelines.module.js';

type Imports = NonNullable<ModuleMetadata['imports']>;

/** Modules that serve HTTP clients (the `api` and `all` roles). */
const API_MODULES: Imports = [
  AuthModule,
  EdgeModule,
  TaxonomyHttpModule,
  TasksApiModule,
  // The api role validates and enqueues: definitions (and what they share with it), never a processor.
  ...TASK_TYPES.map(({ task }) => TaskTypeModule.register(task)),
  ...TASK_TYPES.flatMap(({ shared }) => (shared ? [shared] : [])),
  PipelinesApiModule,
  BullBoardModule,
];
/** Modules that consume queues (the `worker` and `all` roles). */
const WORKER_MODULES: Imports = [
  TasksWorkerModule,
  ...TASK_TYPES.map(({ task, processors }) => TaskTypeModule.register(task, processors)),
  PipelinesWorkerModule,
  JobMetricsModule,
];

/**
 * One module tree for every role: `APP_ROLE` decides whether the HTTP API, the queue processors, or
 * both are loaded. `extra` lets tests and extensions add modules (e.g. a task type) from outside.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extra: Imports = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        RedisModule,
        DatabaseModule,
        ResilientCacheModule,
        TaxonomyModule,
        HealthModule,
        MetricsModule,
        ...(config.server.runsApi ? API_MODULES : []),
        ...(config.server.runsWorkers ? WORKER_MODULES : []),
        ...extra,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
