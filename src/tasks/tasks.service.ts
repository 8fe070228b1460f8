import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { checkInputSize } from './task-input-size.js';
import { ALL_OWNERS, TaskIndex } from './task-index.service.js';
import { CANCELLED_REASON } from './task-job.js';
import { newJobId, parseTaskId, taskIdOf } from './task-id.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';
import { createTaskRequestSchema, listTasksQuerySchema } from './task-request.dto.js';
import { type FoundTask, TaskStore } from './task-store.service.js';
import type { TaskType } from './task-type.js';
import { toTaskView, type TaskView } from './task-view.js';
import { IdempotencyStore } from './idempotency.store.js';
import { invalidRequest, parseOrThrow, type FieldProblem } from './validation-details.js';
import { TaskListing } from './task-listing.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The producer side of the API: validates, enqueues, and reads tasks back for their owners. */
@Injectable()
export class TasksService {
  constructor(
    private readonly queues: TaskQueues,
    private readonly registry: TaskRegistry,
    private readonly store: TaskStore,
    private readonly index: TaskIndex,
    private readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    principal: Principal,
    type: string,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<TaskView> {
    const task = this.registry.get(type);
    if (!task) throw new NotFoundException(`unknown task type "${type}"`);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
    }
    const request = parseOrThrow(createTaskRequestSchema, body);
    checkInputSize(request.input, this.config.security.taskInputMaxBytes);
    const input = parseOrThrow(task.input, request.input, 'input');
    const { priority, delayMs, runAt } = request.options ?? {};
    const delay = runAt ? Math.max(0, Date.parse(runAt) - Date.now()) : (delayMs ?? 0);

    // Durable: a retry that finds its task waits for the replicas too (its first answer may have been 503).
    return this.queues.callDurably(async () => {
      await this.checkReferences(task, input as Record<string, unknown>, principal);
      let id = taskIdOf(type, newJobId());
      if (idempotencyKey) {
        id = await this.idempotency.claim(principal.id, idempotencyKey, { type, ...request }, id);
        const existing = await this.store.find(id, principal);
        if (existing) return existing.view;
      }
      const { jobId } = parseTaskId(id)!;
      const timestamp = Date.now();
      // The index write is sent in the same turn as the job's and not waited for: the answer is the
      // job's. On a Redis Cluster the index may sit on another master than the queue; waiting for it made
      // an enqueue whose job was added answer 503 while the index's master was down, inviting a duplicate
      // on retry (measured: 3 of 3 such 503s had added their job). Such a task is missing from
      // GET /v1/tasks only, like a pipeline step whose listing failed; an entry whose job add failed is
      // dropped by the next listing that meets it. A listing after the 202 is sent after this write on
      // the same connection, so it shows the task.
      void this.index.add(principal.id, id, timestamp).catch(() => undefined);
      const job = await this.queues
        .get(task.queueName)
        .add(type, { input, owner: principal.id }, { jobId, priority, delay: delay || undefined, timestamp });
      // As added: a worker may already have it, but reading that back would cost every POST a round trip.
      return toTaskView(type, job, delay > 0 ? 'delayed' : 'waiting');
    });
  }

  async get(principal: Principal, id: string): Promise<TaskView> {
    return (await this.find(principal, id)).view;
  }

  list(principal: Principal, query: unknown): Promise<{ items: TaskView[]; next: string | null }> {
    const q = parseOrThrow(listTasksQuerySchema, query);
    if (q.type !== undefined && !this.registry.get(q.type)) {
      throw invalidRequest([{ field: 'type', message: `unknown task type "${q.type}"` }]);
    }
    const owner = principal.role === 'admin' ? ALL_OWNERS : principal.id;
    const listing = new TaskListing(this.index, this.store, principal, owner);
    return this.queues.call(() => listing.page(q));
  }

  /** Waiting or delayed: removed now (`cancelled`). Active: its worker is asked to stop (`stopping`). */
  async cancel(principal: Principal, id: string): Promise<'cancelled' | 'stopping'> {
    const found = await this.find(principal, id);
    const { job, view } = found;
    return this.queues.call(async () => {
      if (job && (view.state === 'waiting' || view.state === 'delayed')) {
        try {
          await job.remove();
          const finishedAt = new Date().toISOString();
          await this.index.saveCancelled(found.owner, {
            ...view,
            state: 'cancelled',
            error: CANCELLED_REASON,
            finishedAt,
          });
          return 'cancelled';
        } catch (err) {
          // A worker took it between the read and the remove: it is active now, so ask it to stop.
          if (!(await job.isActive())) throw err;
        }
      } else if (view.state !== 'active') {
        throw new ConflictException(`a ${view.state} task cannot be cancelled`);
      }
      await this.queues.redis.publish(
        this.queues.key('cancel'),
        JSON.stringify({ type: found.task.type, jobId: job!.id }),
      );
      return 'stopping';
    });
  }

  async retry(principal: Principal, id: string): Promise<TaskView> {
    const { job, view } = await this.find(principal, id);
    if (!job || view.state !== 'failed')
      throw new ConflictException(`a ${view.state} task cannot be retried`);
    return this.queues.call(async () => {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return (await this.store.find(id, principal))!.view;
    });
  }

  async find(principal: Principal, id: string): Promise<FoundTask> {
    const found = await this.queues.call(() => this.store.find(id, principal));
    if (!found) throw new NotFoundException(`no task ${id}`);
    return found;
  }

  /** A field naming another task must name one of the caller's completed tasks of the declared type. */
  private async checkReferences(
    task: TaskType,
    input: Record<string, unknown>,
    principal: Principal,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    for (const ref of task.references) {
      const id = input[ref.field];
      if (id === undefined) continue;
      const found = typeof id === 'string' ? await this.store.find(id, principal) : undefined;
      // Someone else's task answers exactly like one that does not exist: nothing tells them apart.
      if (!found) {
        const field = `input.${ref.field}`;
        throw new NotFoundException({
          message: `${field}: no such task`,
          details: [{ field, message: 'no such task' }],
        });
      }
      if (found.task.type !== ref.type || found.view.state !== 'completed') {
        problems.push({
          field: `input.${ref.field}`,
          message: `must be the id of one of your completed ${ref.type} tasks`,
        });
      }
    }
    if (problems.length > 0) throw invalidRequest(problems);
  }
}
