import { Injectable } from '@nestjs/common';

export type LifecycleState = 'starting' | 'running' | 'stopping';

/** Where the process is in its life; readiness answers 503 unless `running`. */
@Injectable()
export class AppLifecycle {
  private current: LifecycleState = 'starting';

  get state(): LifecycleState {
    return this.current;
  }

  /** Called by main.ts once the listener is open and every module has started. */
  markRunning(): void {
    if (this.current === 'starting') this.current = 'running';
  }

  /** Called at the first SIGTERM/SIGINT; there is no way back. */
  beginShutdown(): void {
    this.current = 'stopping';
  }
}
