/** A header value carries a line break or control character that could inject headers; an API answers 400. */
export class UnsafeHeaderError extends Error {
  constructor(readonly field: string) {
    super(`${field} must not contain line breaks or control characters`);
    this.name = 'UnsafeHeaderError';
  }
}
