interface MemoryEntry {
  value: string;
  bytes: number;
  storedAt: number;
  expiresAt: number;
}

export interface MemoryTierLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * The in-process tier: a bounded LRU over strings (a Map keeps insertion order; a hit moves the entry
 * to the end). Bounded by entry count and by bytes, so a burst of large values cannot exhaust memory.
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
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(key, entry);
      return undefined;
    }
    if (maxAgeMs !== undefined && now - entry.storedAt > maxAgeMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: string, ttlMs: number, now: number): void {
    // JS strings are UTF-16; two bytes a character is the honest upper bound of what they cost.
    const bytes = value.length * 2 + key.length * 2;
    if (bytes > this.limits.maxBytes) return;
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    this.entries.set(key, { value, bytes, storedAt: now, expiresAt: now + ttlMs });
    this.totalBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.totalBytes <= this.limits.maxBytes) break;
      this.remove(oldest, entry);
    }
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

  private remove(key: string, entry: MemoryEntry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
