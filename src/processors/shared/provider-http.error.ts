/**
 * A provider answered with an HTTP error. `retryAfterMs` is its `Retry-After`, when it sent one. The
 * message names the provider and the status only: a provider's error body may echo the request.
 */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`${provider} answered HTTP ${status}`);
    this.name = 'ProviderHttpError';
  }

  /** 408, 429 and 5xx may succeed later; any other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
