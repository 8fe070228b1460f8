import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { checkInputSize } from '../tasks/task-input-size.js';
import { newJobId, taskIdOf } from '../tasks/task-id.js';
import { TaskIndex } from '../tasks/task-index.service.js';
import { TaskQueues } from '../tasks/task-queues.service.js';
import { TaskRegistry } from '../tasks/task-registry.service.js';
import { TaskStore } from '../tasks/task-store.service.js';
import type { TaskView } from '../tasks/task-view.js';
import { invalidRequest, parseOrThrow } from '../tasks/validation-details.js';
import { createPipelineSchema, patchStepSchema, rerunSchema } from './pipeline.dto.js';
import { PipelineBudget } from './pipeline-budget.js';
import { PipelineFlows } from './pipeline-flows.service.js';
import type { RunDoc, RunView, StepDef, StepRecord } from './pipeline-run.js';
import { PipelineStore } from './pipeline-store.service.js';
import { downstreamOf, validatePipeline } from './pipeline-validator.js';
import { isRunning, outputOf, toRunView } from './pipeline-view.js';

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Creates, reads, steps through and cancels pipeline runs; every Redis call bounded by TaskQueues.call. */
@Injectable()
export class PipelinesService {
  constructor(
    private readonly queues: TaskQueues,
    private readonly registry: TaskRegistry,
    private readonly tasks: TaskStore,
    private readonly index: TaskIndex,
    private readonly store: PipelineStore,
    private readonly flows: PipelineFlows,
    private readonly budget: PipelineBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, body: unknown): Promise<RunView> {
    const request = parseOrThrow(createPipelineSchema, body);
    const { maxSteps } = this.config.pipelines;
    if (request.steps.length > maxSteps) {
      throw invalidRequest([{ field: 'steps', message: `at most ${maxSteps} steps` }]);
    }
    for (const step of request.steps) checkInputSize(step.input, this.config.security.taskInputMaxBytes);
    const { deps, order } = validatePipeline(request.steps, (type) => this.registry.get(type));
    return this.queues.call(async () => {
      await this.budget.checkReferences(principal, request.steps);
      const byId = new Map(request.steps.map((s) => [s.id, s]));
      const doc: RunDoc = {
        id: newJobId(),
        owner: principal.id,
        mode: request.mode,
        createdAt: Date.now(),
        order,
        steps: Object.fromEntries(
          order.map((id) => [id, { ...byId.get(id)!, deps: deps[id], gen: 0, status: 'pending' as const }]),
        ),
      };
      if (request.mode === 'development') {
        await this.store.create(doc);
        return toRunView(doc, {}, new Map());
      }
      const steps = order.map((id) => doc.steps[id]);
      await this.budget.charge(principal, steps);
      claim(steps);
      await this.store.create(doc);
      // All or nothing: a run whose flow could not be added would otherwise show steps that never run.
      await this.flows.addChain(doc, steps).catch(async (err: unknown) => {
        await this.store.remove(doc.id).catch(() => undefined);
        throw err;
      });
      await this.list(doc, steps);
      const waiting = { state: 'waiting', attemptsMade: 0 } as TaskView;
      return toRunView(doc, {}, new Map(steps.map((s) => [s.taskId!, waiting])));
    });
  }

  async get(principal: Principal, id: string): Promise<RunView> {
    const doc = await this.find(principal, id);
    return this.queues.call(() => this.viewOf(doc));
  }

  /** Development: runs the next step that has not completed (`all`: that one and every one after it). */
  async advance(principal: Principal, id: string, all: boolean): Promise<RunView> {
    await this.developmentRun(principal, id);
    return this.claimAndQueue(principal, id, all);
  }

  /** Development: `from` and every step that binds from it, directly or not, run again (cache permitting). */
  async rerun(principal: Principal, id: string, body: unknown): Promise<RunView> {
    const { from } = parseOrThrow(rerunSchema, body);
    const doc = await this.developmentRun(principal, id);
    if (!doc.steps[from]) throw invalidRequest([{ field: 'from', message: `no step "${from}"` }]);
    return this.claimAndQueue(principal, id, true, (d) =>
      invalidate(d, downstreamOf(from, d.order, depsOf(d))),
    );
  }

  /** Development: replaces a step's input and/or bindings, validated as at creation; it and what follows it become pending. */
  async patch(principal: Principal, id: string, stepId: string, body: unknown): Promise<RunView> {
    const patch = parseOrThrow(patchStepSchema, body);
    const before = await this.developmentRun(principal, id);
    if (!before.steps[stepId]) throw new NotFoundException(`no step "${stepId}" in run ${id}`);
    if (patch.input) checkInputSize(patch.input, this.config.security.taskInputMaxBytes);
    return this.queues.call(async () => {
      const { doc } = await this.store.update(id, async (doc) => {
        await this.refuseWhileRunning(doc);
        const defs: StepDef[] = doc.order.map((sid) => {
          const { type, input, bind } = doc.steps[sid];
          return sid === stepId
            ? { id: sid, type, input: patch.input ?? input, bind: patch.bind ?? bind }
            : { id: sid, type, input, bind };
        });
        const { deps, order } = validatePipeline(defs, (type) => this.registry.get(type));
        await this.budget.checkReferences(
          principal,
          defs.filter((d) => d.id === stepId),
        );
        const step = doc.steps[stepId];
        step.input = patch.input ?? step.input;
        step.bind = patch.bind ?? step.bind;
        for (const sid of order) doc.steps[sid].deps = deps[sid];
        doc.order = order;
        invalidate(doc, downstreamOf(stepId, order, deps));
      });
      return this.viewOf(doc);
    });
  }

  /** Waiting steps are removed, an active one is asked to stop; what has not completed is `cancelled`. */
  async cancel(principal: Principal, id: string): Promise<RunView> {
    await this.find(principal, id);
    return this.queues.call(async () => {
      const { doc, value: stop } = await this.store.update(id, async (doc) => {
        const view = await this.viewOf(doc);
        if (view.state === 'cancelled' || view.state === 'completed') {
          throw new ConflictException(`a ${view.state} run cannot be cancelled`);
        }
        doc.cancelled = true;
        const stop: string[] = [];
        for (const step of view.steps) {
          if (step.state === 'completed') continue;
          const record = doc.steps[step.id];
          if (isRunning(step) && record.taskId) stop.push(record.taskId);
          record.status = 'cancelled';
        }
        return stop;
      });
      // Parents first: removing a child before its parent would release the parent to run.
      for (const taskId of stop.reverse()) await this.stop(taskId);
      return this.viewOf(doc);
    });
  }

  /** The run, if it is the caller's: another key's run answers exactly like a missing one. */
  async find(principal: Principal, id: string): Promise<RunDoc> {
    const found = RUN_ID.test(id) ? await this.queues.call(() => this.store.read(id)) : undefined;
    if (!found || (principal.role !== 'admin' && found.doc.owner !== principal.id)) {
      throw new NotFoundException(`no pipeline run ${id}`);
    }
    return found.doc;
  }

  async viewOf(doc: RunDoc): Promise<RunView> {
    const outputs = await this.store.outputs(doc.id);
    const taskIds = doc.order
      .map((sid) => doc.steps[sid])
      .filter((s) => s.taskId && !outputOf(s, outputs))
      .map((s) => s.taskId!);
    const jobs = await Promise.all(taskIds.map(async (t) => [t, (await this.tasks.find(t))?.view] as const));
    return toRunView(doc, outputs, new Map(jobs));
  }

  private async developmentRun(principal: Principal, id: string): Promise<RunDoc> {
    const doc = await this.find(principal, id);
    if (doc.mode !== 'development') {
      throw new ConflictException(
        'a production run runs by itself; step, run, rerun and PATCH are for development runs',
      );
    }
    return doc;
  }

  /**
   * One compare-and-set claims the steps (new generation, new task id) before they are queued, so two
   * callers in two processes never queue one step twice: the loser re-reads and finds it running (409).
   */
  private claimAndQueue(
    principal: Principal,
    id: string,
    all: boolean,
    prepare?: (doc: RunDoc) => void,
  ): Promise<RunView> {
    return this.queues.call(async () => {
      const { doc, value: steps } = await this.store.update(id, async (doc) => {
        await this.refuseWhileRunning(doc);
        prepare?.(doc);
        const view = await this.viewOf(doc);
        const todo = view.steps.filter((s) => s.state !== 'completed').map((s) => doc.steps[s.id]);
        if (todo.length === 0) {
          throw new ConflictException('every step has completed; PATCH a step or rerun from one');
        }
        const steps = all ? todo : todo.slice(0, 1);
        await this.budget.charge(principal, steps);
        claim(steps);
        return steps;
      });
      await this.flows.addChain(doc, steps);
      await this.list(doc, steps);
      return this.viewOf(doc);
    });
  }

  private async refuseWhileRunning(doc: RunDoc): Promise<void> {
    if (doc.cancelled) throw new ConflictException('the run is cancelled');
    const running = (await this.viewOf(doc)).steps.find(isRunning);
    if (running) throw new ConflictException(`step "${running.id}" is ${running.state}; wait until it ends`);
  }

  private async stop(taskId: string): Promise<void> {
    const found = await this.tasks.find(taskId);
    const job = found?.job;
    if (!job) return;
    try {
      await job.remove({ removeChildren: false });
      return;
    } catch {
      // Locked: a worker has it. Ask that worker to stop, as DELETE /v1/tasks/:id does.
    }
    await this.queues.redis.publish(
      this.queues.key('cancel'),
      JSON.stringify({ type: found.task.type, jobId: job.id }),
    );
  }

  /** Steps are tasks of their owner, so `GET /v1/tasks` lists them too (best effort, as for tasks). */
  private async list(doc: RunDoc, steps: StepRecord[]): Promise<void> {
    const now = Date.now();
    await Promise.all(steps.map((s) => this.index.add(doc.owner, s.taskId!, now).catch(() => undefined)));
  }
}

/** A new execution of each step: new generation, new task (its id known before it is queued). */
function claim(steps: StepRecord[]): void {
  for (const step of steps) {
    step.gen += 1;
    step.status = 'queued';
    step.taskId = taskIdOf(step.type, newJobId());
  }
}

/** Their outputs no longer count (older generation); they run again when next stepped through. */
function invalidate(doc: RunDoc, ids: string[]): void {
  for (const id of ids) {
    const step = doc.steps[id];
    step.gen += 1;
    step.status = 'pending';
    delete step.taskId;
  }
}

function depsOf(doc: RunDoc): Record<string, string[]> {
  return Object.fromEntries(Object.values(doc.steps).map((s) => [s.id, s.deps]));
}
