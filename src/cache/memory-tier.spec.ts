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
});
