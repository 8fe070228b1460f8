import { UnrecoverableError } from 'bullmq';
import { TaskCancellation } from './task-cancellation.js';
import { CANCELLED_REASON } from './task-job.js';

const never = () => new Promise<never>(() => undefined);

describe('TaskCancellation', () => {
  it('passes the work’s result and failure through while nobody cancels', async () => {
    await expect(new TaskCancellation().guard(Promise.resolve(7))).resolves.toBe(7);
    await expect(new TaskCancellation().guard(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('fails a running guard at once with an unrecoverable error, and aborts a signal handed out', async () => {
    const cancellation = new TaskCancellation();
    const signal = cancellation.signal;
    const guarded = cancellation.guard(never());
    expect(signal.aborted).toBe(false);
    cancellation.cancel();
    await expect(guarded).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(guarded).rejects.toThrow(CANCELLED_REASON);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(CANCELLED_REASON);
  });

  it('hands out an aborted signal and fails the guard when cancelled before either is asked for', async () => {
    const cancellation = new TaskCancellation();
    cancellation.cancel();
    expect(cancellation.signal.aborted).toBe(true);
    await expect(cancellation.guard(Promise.resolve('late'))).rejects.toThrow(CANCELLED_REASON);
  });

  it('ignores a cancel after the work has settled', async () => {
    const cancellation = new TaskCancellation();
    await expect(cancellation.guard(Promise.resolve('done'))).resolves.toBe('done');
    cancellation.cancel();
    expect(cancellation.signal.aborted).toBe(true);
  });
});
