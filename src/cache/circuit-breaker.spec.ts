import { CircuitBreaker } from './circuit-breaker.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CircuitBreaker', () => {
  it('starts open, closes after a successful probe, opens after N consecutive failures', async () => {
    const events: string[] = [];
    let healthy = true;
    const breaker = new CircuitBreaker({
      failureThreshold: 3,
      probeIntervalMs: 20,
      probe: async () => {
        if (!healthy) throw new Error('down');
      },
      onOpen: (reason) => events.push(`open:${reason}`),
      onClose: () => events.push('close'),
    });
    expect(breaker.state).toBe('open');
    await tick(10);
    expect(breaker.state).toBe('closed');

    breaker.failure('a');
    breaker.failure('b');
    breaker.success();
    breaker.failure('c');
    breaker.failure('d');
    expect(breaker.state).toBe('closed');
    healthy = false;
    breaker.failure('e');
    expect(breaker.state).toBe('open');
    await tick(70);
    expect(breaker.state).toBe('open');
    healthy = true;
    await tick(50);
    expect(breaker.state).toBe('closed');
    expect(events).toEqual(['close', 'open:e', 'close']);
    breaker.stop();
  });

  it('once stopped, reports nothing: the connections closing at shutdown are not an outage', async () => {
    const events: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      probeIntervalMs: 10,
      probe: async () => undefined,
      onOpen: (reason) => events.push(`open:${reason}`),
      onClose: () => events.push('close'),
    });
    await tick(10);
    breaker.stop();
    breaker.open('channel closed');
    breaker.failure('command failed');
    breaker.probeNow();
    await tick(30);
    expect(breaker.state).toBe('closed');
    expect(events).toEqual(['close']);
  });
});
