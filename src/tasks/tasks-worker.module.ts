import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { RedisConnectionsService } from '../redis/redis-connections.service.js';
import { TaskWorkers } from './task-workers.service.js';
import { TasksCoreModule } from './tasks-core.module.js';

/**
 * The worker role's half: one BullMQ Worker per task type, started by TaskWorkers once checked. The types
 * and their processor modules are registered beside it by the app (see src/task-types.ts).
 */
@Module({
  imports: [
    DiscoveryModule,
    TasksCoreModule,
    BullModule.forRootAsync({
      inject: [RedisConnectionsService, APP_CONFIG],
      // A ready-made client: BullMQ would otherwise build one with require(), which native ESM lacks.
      useFactory: (connections: RedisConnectionsService, config: AppConfig) => ({
        connection: connections.open('queue-worker'),
        prefix: config.queue.prefix,
      }),
      // TaskWorkers checks the processors and sets their options before the explorer makes workers.
      extraOptions: { manualRegistration: true },
    }),
    // With no queues, this only brings in @nestjs/bullmq's explorer (queues are TaskQueues' business).
    BullModule.registerQueue(),
  ],
  providers: [TaskWorkers],
})
export class TasksWorkerModule {}
