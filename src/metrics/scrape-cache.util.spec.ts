import { ScrapeCache } from './scrape-cache.util.js';

describe('ScrapeCache', () => {
  it('reads once per period however many ask, at once or in turn', async () => {
    let reads = 0;
    const cache = new ScrapeCache(async () => ++reads, 1_000, 100);
    const now = Date.now();
    expect(await Promise.all([cache.get(now), cache.get(now), cache.get(now)])).toEqual([1, 1, 1]);
    expect(await cache.get(now + 500)).toBe(1);
    expect(reads).toBe(1);
    expect(await cache.get(Date.now() + 1_001)).toBe(2);
  });

  it('gives up after the timeout with undefined, and keeps that answer for the period', async () => {
    let reads = 0;
    const cache = new ScrapeCache(
      () => {
        reads++;
        return new Promise<number>(() => undefined);
      },
      1_000,
      50,
    );
    const started = Date.now();
    expect(await cache.get()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await cache.get()).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('turns a failed read into undefined, then reads again next period', async () => {
    let fail = true;
    const cache = new ScrapeCache(
      async () => {
        if (fail) throw new Error('down');
        return 'up';
      },
      1_000,
      100,
    );
    expect(await cache.get()).toBeUndefined();
    fail = false;
    expect(await cache.get(Date.now() + 1_001)).toBe('up');
  });
});
