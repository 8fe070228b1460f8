const MAX_KEY_LENGTH = 255;
// A segment may not start with a dot: that rules out "." and "..", hidden files, and the store's temp files.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The key could name a file outside the store, or is not a plain relative name. */
export class InvalidArtifactKeyError extends Error {
  constructor(readonly key: string) {
    super(`Invalid artifact key ${JSON.stringify(key.slice(0, 80))}`);
    this.name = 'InvalidArtifactKeyError';
  }
}

/** Accepts only relative, slash-separated keys of letters, digits, ".", "_" and "-". */
export function assertArtifactKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new InvalidArtifactKeyError(String(key));
  }
  if (!key.split('/').every((segment) => SEGMENT.test(segment))) throw new InvalidArtifactKeyError(key);
}
