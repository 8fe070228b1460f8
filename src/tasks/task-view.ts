import type { Job } from 'bullmq';
import { CANCELLED_REASON, type TaskJobData } from './task-job.js';
import { taskIdOf } from './task-id.js';

export const TASK_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** A task as the API shows it. */
export interface TaskView {
  id: string;
  type: string;
  state: TaskState;
  progress: unknown;
  attemptsMade: number;
  result?: unknown;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** BullMQ's states folded into the API's: a prioritised job is still waiting, an unknown one is gone. */
export function taskStateOf(bullState: string, job: Pick<Job, 'failedReason'>): TaskState | undefined {
  switch (bullState) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'delayed':
    case 'active':
    case 'completed':
      return bullState;
    case 'failed':
      return job.failedReason === CANCELLED_REASON ? 'cancelled' : 'failed';
    default:
      return undefined;
  }
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

export function toTaskView(type: string, job: Job<TaskJobData>, state: TaskState): TaskView {
  const view: TaskView = {
    id: taskIdOf(type, job.id!),
    type,
    state,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
  };
  if (state === 'completed') view.result = job.returnvalue;
  if ((state === 'failed' || state === 'cancelled') && job.failedReason) view.error = job.failedReason;
  const startedAt = iso(job.processedOn);
  if (startedAt) view.startedAt = startedAt;
  const finishedAt = iso(job.finishedOn);
  if (finishedAt && (state === 'completed' || state === 'failed' || state === 'cancelled'))
    view.finishedAt = finishedAt;
  return view;
}

export function isFinished(state: TaskState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}
