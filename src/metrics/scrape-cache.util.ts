import { withTimeout } from '../redis/with-timeout.util.js';

/**
 * A value read from a dependency at scrape time: at most one read per `maxAgeMs` however many scrapers
 * (or gauges in one scrape) ask, each read bounded by `timeoutMs` so a dead Redis cannot hang /metrics.
 * A failed read yields `undefined` and is cached like a success, so an outage costs one timeout per
 * `maxAgeMs`, not one per gauge.
 */
export class ScrapeCache<T> {
  private value?: T;
  private readAt = -Infinity;
  private pending?: Promise<T | undefined>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly timeoutMs: number,
  ) {}

  get(now = Date.now()): Promise<T | undefined> {
    if (now - this.readAt < this.maxAgeMs) return Promise.resolve(this.value);
    this.pending ??= withTimeout(this.load(), this.timeoutMs)
      .catch(() => undefined)
      .then((value) => {
        this.value = value;
        this.readAt = Date.now();
        this.pending = undefined;
        return value;
      });
    return this.pending;
  }
}
