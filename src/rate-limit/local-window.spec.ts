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
    // The full bucket [10 000, 11 000) must slide a third of the way out: 3 × (1 − 334/1000) + 1 ≤ 3.
    const free = w.nextFreeAt(t0 + 3);
    expect(free).toBe(11_334);
    expect(w.tryTake(free - 1)).toBe(false);
    expect(w.tryTake(free)).toBe(true);
    expect(w.tryTake(free)).toBe(false);
  });

  it('frees room as the previous bucket slides out, and says when, to the millisecond', () => {
    const w = new LocalWindow(4, 1_000);
    w.record(1_000);
    w.record(1_100);
    w.record(2_500);
    w.record(2_600);
    // At 2 600: 2 × (1 − 600/1000) + 2 = 2.8, room for one.
    expect(w.nextFreeAt(2_600)).toBe(2_600);
    expect(w.tryTake(2_600)).toBe(true);
    // 2 × (1 − t/1000) + 3 + 1 ≤ 4 once t ≥ 1000: the previous bucket has to be gone entirely.
    expect(w.nextFreeAt(2_700)).toBe(3_000);
    expect(w.tryTake(2_999)).toBe(false);
    expect(w.tryTake(3_000)).toBe(true);
  });

  it('forgets everything after two idle windows', () => {
    const w = new LocalWindow(1, 1_000);
    expect(w.tryTake(5_000)).toBe(true);
    expect(w.clearAt(5_000)).toBe(7_000);
    expect(w.count(6_999)).toBeCloseTo(0.001);
    expect(w.count(7_000)).toBe(0);
    expect(w.clearAt(7_000)).toBe(7_000);
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
