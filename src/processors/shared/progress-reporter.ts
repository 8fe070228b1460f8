/**
 * Reports how far a multi-stage task has got, as a percentage in [0, 100]. A BullMQ processor passes
 * `job.updateProgress`, so it may be async and the work awaits it between stages.
 */
export type ProgressReporter = (pct: number) => void | Promise<void>;
