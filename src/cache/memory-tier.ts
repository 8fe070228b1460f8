interface MemoryEntry {
  value: string;
  bytes: number;
  storedAt: number;
  expiresAt: number;
  /** Read since eviction last passed it: it gets a second chance (see `evict`). */
  used: boolean;
  /** A view of `value` worked out once by `derive`, for the reader that keeps asking for it. */
  derivedBy?: (value: string) => unknown;
  derived?: unknown;
}

export interface MemoryTierLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * The in-process tier: bounded by entry count and by bytes, so a burst of large values cannot exhaust
 * memory. Eviction is second-chance LRU ("clock"): a hit only marks its entry, so the hot path of a
 * cache hit writes nothing to the Map; when room is needed, entries are taken oldest first, and one read
 * since the last pass is moved to the back instead, unmarked.
 */
export class MemoryTier {
  private readonly entries = new Map<string, MemoryEntry>();
  private totalBytes = 0;

  constructor(private readonly limits: MemoryTierLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** A value stored less than `maxAgeMs` ago (if given) and not expired. */
  get(key: string, now: number, maxAgeMs?: number): string | undefined {
    return this.lookup(key, now, maxAgeMs)?.value;
  }

  /**
   * `derive(value)` for a live entry, worked out on the first call and kept with the entry (until it is
   * replaced or dropped). `derive` must return a view that costs no memory of note: slices, lengths.
   */
  derive<T>(
    key: string,
    now: number,
    maxAgeMs: number | undefined,
    derive: (value: string) => T,
  ): T | undefined {
    const entry = this.lookup(key, now, maxAgeMs);
    if (!entry) return undefined;
    if (entry.derivedBy !== derive) {
      entry.derived = derive(entry.value);
      entry.derivedBy = derive;
    }
    return entry.derived as T;
  }

  set(key: string, value: string, ttlMs: number, now: number): void {
    // JS strings are UTF-16; two bytes a character is the honest upper bound of what they cost.
    const bytes = value.length * 2 + key.length * 2;
    if (bytes > this.limits.maxBytes) return;
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    this.entries.set(key, { value, bytes, storedAt: now, expiresAt: now + ttlMs, used: false });
    this.totalBytes += bytes;
    this.evict(key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  /** Drops every key that starts with `prefix` (one namespace). */
  deletePrefix(prefix: string): void {
    for (const [key, entry] of this.entries) if (key.startsWith(prefix)) this.remove(key, entry);
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  private lookup(key: string, now: number, maxAgeMs?: number): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(key, entry);
      return undefined;
    }
    if (maxAgeMs !== undefined && now - entry.storedAt > maxAgeMs) return undefined;
    entry.used = true;
    return entry;
  }

  /** Makes room, oldest first, sparing once each entry read since the last pass, and `newest` always. */
  private evict(newest: string): void {
    while (this.entries.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes) {
      const [key, entry] = this.entries.entries().next().value as [string, MemoryEntry];
      if (this.entries.size > 1 && (entry.used || key === newest)) {
        entry.used = false;
        this.entries.delete(key);
        this.entries.set(key, entry);
      } else {
        this.remove(key, entry);
      }
    }
  }

  private remove(key: string, entry: MemoryEntry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
