/** The two ways a run executes; see docs/pipelines.md. */
export const PIPELINE_MODES = ['production', 'development'] as const;
export type PipelineMode = (typeof PIPELINE_MODES)[number];

/** A step as the client defines it. */
export interface StepDef {
  id: string;
  type: string;
  input: Record<string, unknown>;
  /** Input path (dotted) → `<stepId>.id` or `<stepId>.result[/json-pointer]`. */
  bind: Record<string, string>;
}

/**
 * A step as the run record keeps it. Only what the jobs do not know lives here; waiting, active, failed,
 * attempts and timings are read from the step's current job.
 */
export interface StepRecord extends StepDef {
  /** Steps it binds from. */
  deps: string[];
  /** Bumped on each new execution; an output of an older one no longer counts. */
  gen: number;
  /** pending: no job (development, or invalidated); queued: `taskId` is its job; cancelled: by DELETE. */
  status: 'pending' | 'queued' | 'cancelled';
  /** The task of the current execution. */
  taskId?: string;
}

/** The run record: one JSON document, changed only by compare-and-set on its version (PipelineStore). */
export interface RunDoc {
  id: string;
  owner: string;
  mode: PipelineMode;
  createdAt: number;
  /** Step ids in a topological order: the order a chain runs them in. */
  order: string[];
  steps: Record<string, StepRecord>;
  cancelled?: boolean;
}

/** What a finished execution left for the steps that bind to it (one field per step in the outputs hash). */
export interface StepOutput {
  gen: number;
  /** The task that produced `result`: for a cached answer, the earlier one, so `.id` bindings stay stable. */
  taskId: string;
  result: unknown;
  cached: boolean;
  attemptsMade: number;
  /** `host:pid` of the worker process that ran (or answered) it. */
  worker: string;
  startedAt: number;
  finishedAt: number;
}

/** A dev cache entry: `<stepId>:<sha256 of type and resolved input>` → the output it produced. */
export interface CachedOutput {
  taskId: string;
  result: unknown;
}

export const STEP_STATES = [
  'pending',
  'waiting',
  'active',
  'completed',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const RUN_STATES = ['idle', 'running', 'completed', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface StepView {
  id: string;
  type: string;
  state: StepState;
  /** Steps it binds from. */
  dependsOn: string[];
  /** `GET /v1/tasks/:taskId` shows it too; for a cached step, the task that produced the output. */
  taskId?: string;
  attemptsMade: number;
  cached?: boolean;
  output?: unknown;
  error?: string;
  progress?: unknown;
  worker?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface RunView {
  id: string;
  mode: PipelineMode;
  state: RunState;
  createdAt: string;
  steps: StepView[];
  links: { self: string; events: string };
}

export const runLinks = (id: string) => ({
  self: `/v1/pipelines/${id}`,
  events: `/v1/pipelines/${id}/events`,
});
