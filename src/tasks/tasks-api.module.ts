import { Module } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';
import { TaskEventsService } from './task-events.service.js';
import { TasksController } from './tasks.controller.js';
import { TasksCoreModule } from './tasks-core.module.js';
import { TasksService } from './tasks.service.js';
import { tasksRouteDocs } from './tasks.route-docs.js';

/**
 * The api role's half: the REST API and the producers. It never makes a Worker. The types themselves are
 * registered beside it by the app (`TaskTypeModule.register(task)`, see src/task-types.ts).
 */
@Module({
  imports: [TasksCoreModule],
  controllers: [TasksController, SchedulesController],
  providers: [TasksService, TaskEventsService, IdempotencyStore, SchedulesService, tasksRouteDocs],
})
export class TasksApiModule {}
