import { HttpException, HttpStatus } from '@nestjs/common';

/** 429; the exception filter turns `retryAfter` into the Retry-After header. */
export class RateLimitExceededException extends HttpException {
  constructor(message: string, retryAfter: number) {
    super({ message, retryAfter }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
