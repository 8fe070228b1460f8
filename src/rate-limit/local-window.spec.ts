import { LocalWindow } from './local-window.js';

describe('LocalWindow (the per-instance fallback)', () => {
  it('admits the limit within a window, then refuses until the window slides', () => {
    const w = new LocalWindow(3, 1_000);
    const t0 = 10_000;
    expect([w.tryTake(t0), w.tryTake(t0 + 1), w.tryTake(t0 + 2), w.tryTake(t0 + 3)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const free = w.nextFreeAt(t0 + 3);
    expect(free).toBeGreaterThan(t0 + 3);
    expect(free).toBeLessThanOrEqual(t0 + 2_000);
    expect(w.tryTake(free - 50)).toBe(false);
    expect(w.tryTake(free)).toBe(true);
  });

  it('weights the previous window by how much of it still overlaps', () => {
    const w = new LocalWindow(10, 1_000);
    for (let i = 0; i < 10; i++) w.record(500);
    expect(w.count(1_250)).toBeCloseTo(7.5);
    expect(w.count(2_000)).toBe(0);
  });

  it('records without limits (the shared path admitted it), so the fallback starts warm', () => {
    const w = new LocalWindow(2, 60_000);
    w.record(1);
    w.record(2);
    expect(w.tryTake(3)).toBe(false);
    expect(w.clearAt(3)).toBe(120_000);
  });
});
