import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { TaskType } from './task-type.js';

/**
 * Registers one task type: its definition, found by `TaskRegistry` among the providers, and (in roles
 * that process jobs) the module holding its `@Processor`. Built-in types are listed in `src/task-types.ts`;
 * an extension or a test passes `TaskTypeModule.register(myTask, MyProcessorModule)` to the app instead.
 */
@Module({})
export class TaskTypeModule {
  static register(task: TaskType, processors?: Type): DynamicModule {
    return {
      module: TaskTypeModule,
      imports: processors ? [processors] : [],
      providers: [{ provide: `task-type:${task.type}`, useValue: task }],
    };
  }
}
