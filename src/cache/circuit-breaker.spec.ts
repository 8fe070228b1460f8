import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';

/** A breaker whose probe is scripted: `healthy` decides its answer, `gate` (when set) holds it open. */
function scripted(options: Partial<CircuitBreakerOptions> = {}) {
  const events: string[] = [];
  const probe = { calls: 0, healthy: true, gate: undefined as Promise<void> | undefined };
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    probeIntervalMs: 1_000,
    probe: async () => {
      probe.calls++;
      if (probe.gate) await probe.gate;
      if (!probe.healthy) throw new Error('down');
    },
    onOpen: (reason) => events.push(`open:${reason}`),
    onClose: () => events.push('close'),
    ...options,
  });
  return { breaker, events, probe };
}

/** Moves the fake clock and lets the probes it starts settle. */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('CircuitBreaker (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts open and closes on its first probe, which runs at once', async () => {
    const { breaker, events, probe } = scripted();
    expect(breaker.state).toBe('open');
    expect(probe.calls).toBe(0);
    await advance(0);
    expect(probe.calls).toBe(1);
    expect(breaker.isClosed).toBe(true);
    expect(events).toEqual(['close']);
    breaker.stop();
  });

  it('opens on the Nth consecutive failure, naming it; a success in between starts the count again', async () => {
    const { breaker, events } = scripted();
    await advance(0);
    breaker.failure('a');
    breaker.failure('b');
    breaker.success();
    breaker.failure('c');
    breaker.failure('d');
    expect(breaker.state).toBe('closed');
    breaker.failure('e');
    expect(breaker.state).toBe('open');
    // Failures reported while open are the same outage: no second event.
    breaker.failure('f');
    breaker.open('g');
    expect(events).toEqual(['close', 'open:e']);
    breaker.stop();
  });

  it('while open, probes exactly every interval until one succeeds, then closes', async () => {
    const { breaker, events, probe } = scripted();
    await advance(0);
    probe.healthy = false;
    breaker.open('connection lost');
    await advance(999);
    expect(probe.calls).toBe(1);
    await advance(1);
    expect(probe.calls).toBe(2);
    expect(breaker.state).toBe('open');
    // A failed probe waits one whole interval for the next.
    await advance(999);
    expect(probe.calls).toBe(2);
    probe.healthy = true;
    await advance(1);
    expect(probe.calls).toBe(3);
    expect(breaker.state).toBe('closed');
    // Closed: no more probes however long it stays so.
    await advance(10_000);
    expect(probe.calls).toBe(3);
    expect(events).toEqual(['close', 'open:connection lost', 'close']);
    breaker.stop();
  });

  it('probeNow probes at once while open, and does nothing while closed', async () => {
    const { breaker, probe } = scripted();
    await advance(0);
    breaker.probeNow();
    await advance(0);
    expect(probe.calls).toBe(1);

    probe.healthy = false;
    breaker.open('channel closed');
    probe.healthy = true;
    breaker.probeNow();
    await advance(0);
    expect(probe.calls).toBe(2);
    expect(breaker.state).toBe('closed');
    breaker.stop();
  });

  it('runs one probe at a time: a slow probe is not joined by a second one', async () => {
    const { breaker, probe } = scripted();
    let answer!: () => void;
    probe.gate = new Promise<void>((r) => (answer = r));
    await advance(0);
    expect(probe.calls).toBe(1);
    breaker.probeNow();
    await advance(5_000);
    expect(probe.calls).toBe(1);
    expect(breaker.state).toBe('open');
    answer();
    await advance(0);
    expect(breaker.state).toBe('closed');
    breaker.stop();
  });

  it('once stopped, reports nothing: the connections closing at shutdown are not an outage', async () => {
    const { breaker, events, probe } = scripted({ failureThreshold: 1 });
    await advance(0);
    breaker.stop();
    breaker.open('channel closed');
    breaker.failure('command failed');
    breaker.probeNow();
    await advance(10_000);
    expect(breaker.state).toBe('closed');
    expect(probe.calls).toBe(1);
    expect(events).toEqual(['close']);
  });

  it('a probe that answers after stop does not close the circuit', async () => {
    const { breaker, events, probe } = scripted();
    let answer!: () => void;
    probe.gate = new Promise<void>((r) => (answer = r));
    await advance(0);
    breaker.stop();
    answer();
    await advance(0);
    expect(breaker.state).toBe('open');
    expect(events).toEqual([]);
  });
});
