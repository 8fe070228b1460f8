import { MemoryTier } from './memory-tier.js';

describe('MemoryTier', () => {
  it('expires entries by TTL and by a caller-given maximum age', () => {
    const tier = new MemoryTier({ maxEntries: 10, maxBytes: 10_000 });
    tier.set('a', 'x', 1_000, 0);
    expect(tier.get('a', 500)).toBe('x');
    expect(tier.get('a', 500, 400)).toBeUndefined();
    expect(tier.get('a', 500, 600)).toBe('x');
    expect(tier.get('a', 1_000)).toBeUndefined();
    expect(tier.size).toBe(0);
  });

  it('evicts the least recently used entry past the entry limit', () => {
    const tier = new MemoryTier({ maxEntries: 2, maxBytes: 10_000 });
    tier.set('a', '1', 10_000, 0);
    tier.set('b', '2', 10_000, 0);
    tier.get('a', 1);
    tier.set('c', '3', 10_000, 2);
    expect(tier.get('b', 3)).toBeUndefined();
    expect(tier.get('a', 3)).toBe('1');
    expect(tier.get('c', 3)).toBe('3');
  });

  it('keeps total bytes under the byte limit and refuses a value larger than the limit', () => {
    const tier = new MemoryTier({ maxEntries: 100, maxBytes: 1_000 });
    for (let i = 0; i < 20; i++) tier.set(`k${i}`, 'v'.repeat(100), 10_000, i);
    expect(tier.bytes).toBeLessThanOrEqual(1_000);
    expect(tier.get('k19', 30)).toBe('v'.repeat(100));
    expect(tier.get('k0', 30)).toBeUndefined();
    tier.set('huge', 'h'.repeat(600), 10_000, 40);
    expect(tier.get('huge', 41)).toBeUndefined();
  });

  it('replacing a key does not double-count its bytes; prefixes can be dropped', () => {
    const tier = new MemoryTier({ maxEntries: 100, maxBytes: 10_000 });
    tier.set('ns:a', 'x'.repeat(10), 1_000, 0);
    tier.set('ns:a', 'x'.repeat(10), 1_000, 0);
    tier.set('other:b', 'y', 1_000, 0);
    expect(tier.bytes).toBe((10 + 4) * 2 + (1 + 7) * 2);
    tier.deletePrefix('ns:');
    expect(tier.get('ns:a', 1)).toBeUndefined();
    expect(tier.get('other:b', 1)).toBe('y');
  });

  it('gives an entry read since the last eviction a second chance, once', () => {
    const tier = new MemoryTier({ maxEntries: 3, maxBytes: 10_000 });
    for (const key of ['a', 'b', 'c']) tier.set(key, key, 10_000, 0);
    tier.get('a', 1);
    tier.get('b', 1);
    tier.set('d', 'd', 10_000, 2); // a and b were read: c, never read, goes
    expect(['a', 'b', 'c', 'd'].map((k) => tier.get(k, 3) !== undefined)).toEqual([true, true, false, true]);
    // Every entry was just read: a full pass unmarks them all, then the oldest goes, never the new one.
    tier.set('e', 'e', 10_000, 4);
    expect(['a', 'b', 'd', 'e'].map((k) => tier.get(k, 5) !== undefined)).toEqual([true, true, false, true]);
  });

  it('works out a derived view once per stored value, and again after the value is replaced', () => {
    const tier = new MemoryTier({ maxEntries: 10, maxBytes: 10_000 });
    let calls = 0;
    const upper = (value: string) => (calls++, value.toUpperCase());
    tier.set('k', 'v1', 10_000, 0);
    expect([tier.derive('k', 1, undefined, upper), tier.derive('k', 2, undefined, upper)]).toEqual([
      'V1',
      'V1',
    ]);
    expect(calls).toBe(1);
    tier.set('k', 'v2', 10_000, 3);
    expect(tier.derive('k', 4, undefined, upper)).toBe('V2');
    expect(calls).toBe(2);
    expect(tier.derive('k', 5, 1, upper)).toBeUndefined(); // older than the caller's maximum age
    expect(tier.derive('missing', 5, undefined, upper)).toBeUndefined();
  });
});
