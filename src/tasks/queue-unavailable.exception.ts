import { HttpStatus, ServiceUnavailableException } from '@nestjs/common';

/** 503 with `Retry-After` (see AllExceptionsFilter): the queue Redis did not answer in time. */
export class QueueUnavailableException extends ServiceUnavailableException {
  constructor(retryAfterSeconds = 1) {
    super({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'the task queue is unavailable; retry shortly',
      retryAfter: retryAfterSeconds,
    });
  }
}
