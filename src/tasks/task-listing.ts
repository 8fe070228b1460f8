import type { Principal } from '../auth/principal.js';
import type { TaskIndex } from './task-index.service.js';
import type { TaskStore } from './task-store.service.js';
import type { TaskState, TaskView } from './task-view.js';

const BATCH = 100;
/** Upper bound on index entries one request reads, so a rare state filter cannot make a request slow. */
const MAX_SCANNED = 2_000;

interface Cursor {
  score: number;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify([c.score, c.id])).toString('base64url');

function decode(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const [score, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof score === 'number' && typeof id === 'string') return { score, id };
  } catch {
    // fall through to the same answer as a malformed cursor
  }
  return undefined;
}

/**
 * One page of `GET /v1/tasks`, newest first. The cursor is the (creation time, id) of the last entry
 * looked at; Redis orders equal times by id, descending, so entries at or above it are skipped.
 */
export class TaskListing {
  constructor(
    private readonly index: TaskIndex,
    private readonly store: TaskStore,
    private readonly principal: Principal,
    private readonly owner: string,
  ) {}

  async page(q: { type?: string; state?: TaskState; limit: number; cursor?: string }) {
    const after = decode(q.cursor);
    const items: TaskView[] = [];
    let last: Cursor | undefined;
    let scanned = 0;
    for (let offset = 0; items.length < q.limit && scanned < MAX_SCANNED;) {
      const batch = await this.index.page(this.owner, after?.score ?? Infinity, offset, BATCH);
      if (batch.length === 0) return { items, next: null };
      offset += batch.length;
      const fresh = batch.filter(([id, score]) => !after || score < after.score || id < after.id);
      const gone: string[] = [];
      for (const [id, score] of fresh) {
        scanned++;
        last = { score, id };
        if (q.type && !id.startsWith(`${q.type}.`)) continue;
        const found = await this.store.find(id, this.principal);
        if (!found) gone.push(id);
        else if (!q.state || found.view.state === q.state) items.push(found.view);
        if (items.length === q.limit) break;
      }
      // Retention removed these jobs; their index entries go too.
      await this.index.remove(this.owner, gone);
    }
    return { items, next: last ? encode(last) : null };
  }
}
