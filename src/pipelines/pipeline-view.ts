import type { TaskView } from '../tasks/task-view.js';
import {
  runLinks,
  type RunDoc,
  type RunState,
  type RunView,
  type StepOutput,
  type StepRecord,
  type StepState,
  type StepView,
} from './pipeline-run.js';

// What BullMQ writes on a parent failed by `failParentOnFailure`: the step itself never ran.
const FAILED_CHILD = /^child \S+ failed$/;

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether the step's current execution has left its output. */
export function outputOf(step: StepRecord, outputs: Record<string, StepOutput>): StepOutput | undefined {
  const output = outputs[step.id];
  return output && output.gen === step.gen ? output : undefined;
}

/**
 * The run as the API shows it, from the record, the outputs and the current job of each queued step
 * (`jobs` by task id; undefined: no such job). A step that can no longer run because one it binds from
 * failed, was skipped or cancelled is `skipped`.
 */
export function toRunView(
  doc: RunDoc,
  outputs: Record<string, StepOutput>,
  jobs: Map<string, TaskView | undefined>,
): RunView {
  const views = new Map<string, StepView>();
  // Production runs are one chain in this order: past a step that failed, nothing can run.
  let chainBroken = false;
  for (const id of doc.order) {
    const step = doc.steps[id];
    const view = stepView(step, outputOf(step, outputs), step.taskId ? jobs.get(step.taskId) : undefined);
    const blocked =
      chainBroken || step.deps.some((d) => ['failed', 'skipped', 'cancelled'].includes(views.get(d)!.state));
    // 'active' too: BullMQ fails a parent whose child failed only once a worker takes it (the handler is
    // never called), so the moment between those two reads must not show a step that cannot run.
    if (blocked && ['pending', 'waiting', 'active'].includes(view.state)) view.state = 'skipped';
    views.set(id, view);
    if (doc.mode === 'production' && ['failed', 'skipped', 'cancelled'].includes(view.state))
      chainBroken = true;
  }
  const steps = [...views.values()];
  return {
    id: doc.id,
    mode: doc.mode,
    state: runState(doc, steps),
    createdAt: iso(doc.createdAt),
    steps,
    links: runLinks(doc.id),
  };
}

function stepView(step: StepRecord, output: StepOutput | undefined, job: TaskView | undefined): StepView {
  const view: StepView = {
    id: step.id,
    type: step.type,
    state: 'pending',
    dependsOn: step.deps,
    attemptsMade: 0,
  };
  if (output) {
    return Object.assign(view, {
      state: 'completed' as const,
      taskId: output.taskId,
      attemptsMade: output.attemptsMade,
      cached: output.cached,
      output: output.result,
      worker: output.worker,
      startedAt: iso(output.startedAt),
      finishedAt: iso(output.finishedAt),
    });
  }
  if (step.status === 'cancelled') view.state = 'cancelled';
  if (step.status !== 'queued' && step.status !== 'cancelled') return view;
  if (step.taskId) view.taskId = step.taskId;
  // A queued step whose job is gone without an output (lost before it was added): it can run again.
  if (!job) return view;
  view.attemptsMade = job.attemptsMade;
  if (job.startedAt) view.startedAt = job.startedAt;
  if (job.finishedAt) view.finishedAt = job.finishedAt;
  if (step.status === 'cancelled') return view;
  view.state = jobState(job);
  if (job.state === 'active' && job.progress) view.progress = job.progress;
  if (view.state === 'failed' || view.state === 'cancelled') view.error = job.error;
  return view;
}

function jobState(job: TaskView): StepState {
  switch (job.state) {
    case 'waiting':
    case 'delayed':
      return 'waiting';
    case 'failed':
      return FAILED_CHILD.test(job.error ?? '') ? 'skipped' : 'failed';
    // Completed but no output of this execution: the output write is part of the job, so this is a
    // moment's race between the two reads; the next read shows it completed.
    case 'completed':
      return 'active';
    default:
      return job.state;
  }
}

function runState(doc: RunDoc, steps: StepView[]): RunState {
  if (doc.cancelled) return 'cancelled';
  if (steps.some((s) => s.state === 'failed')) return 'failed';
  if (steps.every((s) => s.state === 'completed')) return 'completed';
  if (steps.some((s) => s.state === 'waiting' || s.state === 'active')) return 'running';
  return 'idle';
}

/** Steps that have a job which may still run. */
export function isRunning(view: StepView): boolean {
  return view.state === 'waiting' || view.state === 'active';
}

export function isFinishedRun(state: RunState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}
