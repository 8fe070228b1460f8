import { Module } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';
import { TaskEventsService } from './task-events.service.js';
import { TaskTypeModule } from './task-type.module.js';
import { TASK_TYPES } from './task-types.js';
import { TasksController } from './tasks.controller.js';
import { TasksCoreModule } from './tasks-core.module.js';
import { TasksService } from './tasks.service.js';

/** The api role's half: the REST API and the producers. It never makes a Worker. */
@Module({
  imports: [TasksCoreModule, ...TASK_TYPES.map(({ task }) => TaskTypeModule.register(task))],
  controllers: [TasksController, SchedulesController],
  providers: [TasksService, TaskEventsService, IdempotencyStore, SchedulesService],
})
export class TasksApiModule {}
