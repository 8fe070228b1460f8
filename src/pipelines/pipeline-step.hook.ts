import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { taskIdOf } from '../tasks/task-id.js';
import { CANCELLED_REASON, type PipelineStepRef, type TaskJobData } from '../tasks/task-job.js';
import { PermanentTaskError, type TaskRunHook } from '../tasks/task-processor.host.js';
import { TaskStore } from '../tasks/task-store.service.js';
import type { TaskType } from '../tasks/task-type.js';
import type { RunDoc, StepOutput } from './pipeline-run.js';
import { PipelineStore } from './pipeline-store.service.js';
import { parseSource, setPath, stableJson, valueAt } from './step-binding.js';

const WORKER = `${hostname()}:${process.pid}`;

/**
 * The worker side of a pipeline step, run by TaskProcessorHost around the type's own handler. Bound
 * inputs are resolved when the step starts, from the outputs earlier steps left in Redis, so any worker
 * process can take any step. In development mode an unchanged resolved input is answered from the run's
 * cache and the handler is not called.
 */
@Injectable()
export class PipelineStepHook implements TaskRunHook {
  constructor(
    private readonly store: PipelineStore,
    private readonly tasks: TaskStore,
  ) {}

  async start(task: TaskType, job: Job<TaskJobData>) {
    const ref = job.data.pipeline!;
    const startedAt = Date.now();
    const found = await this.store.read(ref.run);
    const record = found?.doc.steps[ref.step];
    if (!found || !record) throw new PermanentTaskError(`pipeline run ${ref.run} no longer exists`);
    if (found.doc.cancelled) throw new UnrecoverableError(CANCELLED_REASON);
    if (record.gen !== ref.gen) throw new PermanentTaskError('superseded by a newer run of this step');

    const input = await this.resolve(ref, found.doc, job.data.input);
    const cacheField = `${ref.step}:${createHash('sha256')
      .update(`${task.type}\n${stableJson(input)}`)
      .digest('base64url')}`;
    const output = (taskId: string, result: unknown, cached: boolean): StepOutput => ({
      gen: ref.gen,
      taskId,
      result,
      cached,
      attemptsMade: job.attemptsMade + 1,
      worker: WORKER,
      startedAt,
      finishedAt: Date.now(),
    });

    if (ref.cache) {
      const hit = await this.store.cached(ref.run, cacheField);
      // Only while the task that produced it is kept: steps binding its `.id` read that task.
      if (hit && (await this.tasks.find(hit.taskId))?.view.state === 'completed') {
        await this.store.saveOutput(ref.run, ref.step, output(hit.taskId, hit.result, true));
        return { result: hit.result };
      }
    }
    const taskId = taskIdOf(task.type, job.id!);
    return {
      input,
      done: async (result: unknown) => {
        if (ref.cache) await this.store.saveCached(ref.run, cacheField, { taskId, result });
        await this.store.saveOutput(ref.run, ref.step, output(taskId, result, false));
      },
    };
  }

  /** The step's input with each bound path set from the output it names; a missing value fails the step. */
  private async resolve(ref: PipelineStepRef, doc: RunDoc, raw: unknown): Promise<unknown> {
    const input = structuredClone((raw ?? {}) as Record<string, unknown>);
    const bindings = Object.entries(ref.bind);
    if (bindings.length === 0) return input;
    const outputs = await this.store.outputs(ref.run);
    for (const [target, text] of bindings) {
      const source = parseSource(text)!;
      const output = outputs[source.step];
      if (!output || output.gen !== doc.steps[source.step]?.gen)
        throw new PermanentTaskError(`step "${source.step}" has no output to bind from`);
      const value = source.kind === 'id' ? output.taskId : valueAt(output.result, source.pointer);
      if (value === undefined)
        throw new PermanentTaskError(`${text}: no such value in the output of "${source.step}"`);
      setPath(input, target.split('.'), value);
    }
    return input;
  }
}
