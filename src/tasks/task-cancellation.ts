import { UnrecoverableError } from 'bullmq';
import { CANCELLED_REASON } from './task-job.js';

/**
 * The cancellation of one running job: a client's DELETE of an active task. BullMQ can hand a processor
 * an AbortSignal, but then it makes an AbortController (an EventTarget) for every job; with the race
 * around each run that was about a tenth of a worker's CPU in a no-op drain's profile (docs/benchmarks.md).
 * Few jobs are ever cancelled, so the signal is made only when a handler asks for it.
 */
export class TaskCancellation {
  private controller?: AbortController;
  private cancelled = false;
  private fail?: (err: Error) => void;

  /** Aborted, with CANCELLED_REASON, once the task is cancelled (at once if it already is). */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.cancelled && !this.controller.signal.aborted) this.controller.abort(CANCELLED_REASON);
    return this.controller.signal;
  }

  /** What `work` settles with, unless the task is cancelled first: then a failure that is not retried. */
  guard<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.fail = reject;
      if (this.cancelled) reject(cancelledError());
      work.then(resolve, reject);
    });
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller?.abort(CANCELLED_REASON);
    this.fail?.(cancelledError());
  }
}

const cancelledError = () => new UnrecoverableError(CANCELLED_REASON);
