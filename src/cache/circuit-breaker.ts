export type BreakerState = 'closed' | 'open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How often, while open, `probe` is tried. */
  probeIntervalMs: number;
  /** Must succeed (resolve) for the circuit to close again. */
  probe: () => Promise<void>;
  onOpen?: (reason: string) => void;
  onClose?: () => void;
}

/**
 * Stops calling a failing dependency. While open no request pays for a call that would fail; a
 * background probe decides when it is back. Starts open: nothing is trusted until a probe succeeds.
 */
export class CircuitBreaker {
  private current: BreakerState = 'open';
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private probing = false;
  private stopped = false;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.scheduleProbe(0);
  }

  get state(): BreakerState {
    return this.current;
  }

  get isClosed(): boolean {
    return this.current === 'closed';
  }

  success(): void {
    this.failures = 0;
  }

  failure(reason: string): void {
    if (this.stopped || this.current === 'open') return;
    if (++this.failures >= this.options.failureThreshold) this.open(reason);
  }

  /** Opens at once, e.g. when the connection is known to be gone. */
  open(reason: string): void {
    if (this.stopped || this.current === 'open') return;
    this.current = 'open';
    this.options.onOpen?.(reason);
    this.scheduleProbe(this.options.probeIntervalMs);
  }

  /** Probes now instead of at the next interval (e.g. when the dependency says it is back). */
  probeNow(): void {
    if (this.current === 'open') this.scheduleProbe(0);
  }

  /**
   * For shutdown: no more probes, and no more transitions, so connections closing behind it are not
   * reported as an outage.
   */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleProbe(delayMs: number): void {
    if (this.stopped || this.probing) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runProbe(), delayMs);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.stopped || this.current === 'closed') return;
    this.probing = true;
    try {
      await this.options.probe();
      this.probing = false;
      if (this.stopped) return;
      this.failures = 0;
      this.current = 'closed';
      this.options.onClose?.();
    } catch {
      this.probing = false;
      this.scheduleProbe(this.options.probeIntervalMs);
    }
  }
}
