/** What a task's BullMQ job carries besides its input: who owns it, checked on every read. */
export interface TaskJobData<Input = unknown> {
  input: Input;
  /** The principal id of the key that created it. */
  owner: string;
  /** Set on the runs of a schedule. */
  schedule?: string;
}

/** The failure reason of a job stopped on request; the API shows such a job as `cancelled`. */
export const CANCELLED_REASON = 'cancelled on request';
