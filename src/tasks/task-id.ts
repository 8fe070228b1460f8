import { randomFillSync } from 'node:crypto';

/** Entropy drawn 256 ids at a time, as Node's randomUUID does: one call into the CSPRNG per batch. */
const pool = Buffer.alloc(16 * 256);
let used = pool.length;

/**
 * A task's public id is `<type>.<job id>`: the type says which queue to look in, and the job id is 128
 * random bits (base64url), so ids cannot be guessed or enumerated. Jobs that BullMQ names itself (runs
 * of a schedule) keep their own job id after the dot.
 */
export function newJobId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.toString('base64url', used - 16, used);
}

export function taskIdOf(type: string, jobId: string): string {
  return `${type}.${jobId}`;
}

export function parseTaskId(id: string): { type: string; jobId: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1 || id.length > 200) return undefined;
  return { type: id.slice(0, dot), jobId: id.slice(dot + 1) };
}
