import { PermanentTaskError, type TaskContext } from '../../tasks/task-processor.host.js';
import { ProviderHttpError } from './provider-http.error.js';

/**
 * Turns a provider's HTTP error into what BullMQ should do with the job:
 * - 408/429/5xx: an ordinary error, so the attempt counts and the job is retried. With a `Retry-After`,
 *   this attempt's backoff becomes exactly that delay. BullMQ computes the retry delay from the Job
 *   object the processor was given, after it threw, so setting `opts.backoff` on it here is honoured for
 *   this retry only (the stored options keep the configured exponential backoff).
 * - any other 4xx: PermanentTaskError (BullMQ's UnrecoverableError), failing after this one attempt.
 * Anything else (network errors, timeouts) passes through and is retried with the usual backoff.
 */
export function providerFailure(err: unknown, context: TaskContext): Error {
  if (!(err instanceof ProviderHttpError)) return err as Error;
  if (!err.retryable) return new PermanentTaskError(err.message);
  if (err.retryAfterMs !== undefined) {
    context.job.opts.backoff = { type: 'fixed', delay: err.retryAfterMs };
  }
  return err;
}
