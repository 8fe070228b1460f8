import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { RateLimitExceededException } from './rate-limit-exceeded.exception.js';

/** Open event streams per API key on this instance: each holds a socket and a Redis listener. */
@Injectable()
export class SseConnections {
  private readonly open = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Takes a slot or answers 429; the returned release is safe to call more than once. */
  acquire(keyId: string): () => void {
    const max = this.config.security.sseMaxPerKey;
    const count = this.open.get(keyId) ?? 0;
    if (count >= max) {
      throw new RateLimitExceededException(
        `at most ${max} open event streams per API key; close one first`,
        1,
      );
    }
    this.open.set(keyId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(keyId) ?? 1) - 1;
      if (left > 0) this.open.set(keyId, left);
      else this.open.delete(keyId);
    };
  }
}
