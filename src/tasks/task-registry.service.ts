import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { TaskType } from './task-type.js';

/** Every registered task type, by name; two different definitions under one name stop the app. */
@Injectable()
export class TaskRegistry {
  private types?: Map<string, TaskType>;

  constructor(private readonly discovery: DiscoveryService) {}

  get(type: string): TaskType | undefined {
    return this.all().get(type);
  }

  all(): ReadonlyMap<string, TaskType> {
    this.types ??= this.discover();
    return this.types;
  }

  private discover(): Map<string, TaskType> {
    const types = new Map<string, TaskType>();
    for (const wrapper of this.discovery.getProviders()) {
      const task: unknown = wrapper.instance;
      if (!(task instanceof TaskType)) continue;
      const known = types.get(task.type);
      // The api and worker modules both register the built-in definitions: the same object twice is fine.
      if (known && known !== task) throw new Error(`task type "${task.type}" is registered twice`);
      types.set(task.type, task);
    }
    return types;
  }
}
