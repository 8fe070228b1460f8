import { HttpStatus, ServiceUnavailableException } from '@nestjs/common';

/**
 * 503 with `Retry-After`: the task was written, but fewer replicas than QUEUE_MIN_REPLICAS_ACK confirmed
 * it in time, so a failover could still lose it. A retry with the same Idempotency-Key is safe: it finds
 * the task if it survived (and waits for the replicas again), or enqueues it anew if it did not.
 */
export class ReplicasUnconfirmedException extends ServiceUnavailableException {
  constructor(confirmed: number, required: number, retryAfterSeconds = 1) {
    super({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: `the task was confirmed by ${confirmed} of the ${required} replicas required; retry with the same Idempotency-Key`,
      retryAfter: retryAfterSeconds,
    });
  }
}
