import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Principal } from '../auth/principal.js';
import { TaskIndex } from './task-index.service.js';
import type { TaskJobData } from './task-job.js';
import { parseTaskId } from './task-id.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';
import type { TaskType } from './task-type.js';
import { taskStateOf, toTaskView, type TaskView } from './task-view.js';

export interface FoundTask {
  task: TaskType;
  /** Absent for a task cancelled before it ran: its job was removed, its view kept. */
  job?: Job<TaskJobData>;
  owner: string;
  view: TaskView;
}

/** Reads tasks by public id. Someone else's task is reported exactly like a missing one. */
@Injectable()
export class TaskStore {
  constructor(
    private readonly queues: TaskQueues,
    private readonly registry: TaskRegistry,
    private readonly index: TaskIndex,
  ) {}

  /** `principal` undefined: no ownership check (the workers reading a task the API already checked). */
  async find(id: string, principal?: Principal): Promise<FoundTask | undefined> {
    const parsed = parseTaskId(id);
    const task = parsed && this.registry.get(parsed.type);
    if (!parsed || !task) return undefined;
    const visible = (owner: string) => !principal || principal.role === 'admin' || principal.id === owner;
    // State first, then the job: the job read is then at least as new, so `completed` comes with its result.
    let bullState = 'unknown';
    let job: Job<TaskJobData> | undefined;
    for (const queue of this.queues.queuesOf(task.queueName)) {
      bullState = await queue.getJobState(parsed.jobId);
      if (bullState === 'unknown') continue;
      job = await queue.getJob(parsed.jobId);
      break;
    }
    if (job) {
      const state = taskStateOf(bullState, job);
      if (!state || !visible(job.data.owner)) return undefined;
      return { task, job, owner: job.data.owner, view: toTaskView(task.type, job, state) };
    }
    const cancelled = await this.index.findCancelled(id);
    if (!cancelled || !visible(cancelled.owner)) return undefined;
    return { task, owner: cancelled.owner, view: cancelled.view };
  }
}
