import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Lines a room above health adds to the `/health` details (the fast path: on or off, and why). A note
 * is information, never a failure: it is reported `up` and decides neither readiness nor status.
 */
@Injectable()
export class HealthNotes {
  private readonly notes = new Map<string, () => Record<string, unknown>>();

  set(name: string, read: () => Record<string, unknown>): void {
    this.notes.set(name, read);
  }

  all(): HealthIndicatorResult {
    const result: HealthIndicatorResult = {};
    for (const [name, read] of this.notes) result[name] = { status: 'up', ...read() };
    return result;
  }
}
