/** What a task's BullMQ job carries besides its input: who owns it, checked on every read. */
export interface TaskJobData<Input = unknown> {
  input: Input;
  /** The principal id of the key that created it. */
  owner: string;
  /** Set on the runs of a schedule. */
  schedule?: string;
  /** Set on a step of a pipeline run (src/pipelines): its input is completed from earlier steps' outputs. */
  pipeline?: PipelineStepRef;
}

/** Which step of which run a job executes; read by the pipelines' `TaskRunHook`. */
export interface PipelineStepRef {
  run: string;
  step: string;
  /** Bumped each time a development run re-runs the step: an older execution's output is ignored. */
  gen: number;
  /** Input path → `<stepId>.id` or `<stepId>.result[/json-pointer]`. */
  bind: Record<string, string>;
  /** Development mode: answer from the run's cache of outputs when the resolved input is unchanged. */
  cache: boolean;
}

/** The failure reason of a job stopped on request; the API shows such a job as `cancelled`. */
export const CANCELLED_REASON = 'cancelled on request';
