/** No artifact is stored under the key; an API answers 404. */
export class ArtifactNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No artifact stored under "${key}"`);
    this.name = 'ArtifactNotFoundError';
  }
}
