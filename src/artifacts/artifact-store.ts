import type { Readable } from 'node:stream';

export interface ArtifactPutResult {
  bytes: number;
  /** Lowercase hex SHA-256 of the stored bytes. */
  sha256: string;
  /** Where the bytes live, for stores backed by a filesystem. */
  path?: string;
}

/**
 * Where task outputs (PDFs, .eml files) are kept. Keys are relative, slash-separated names such as
 * `pdf/2025/job-42.pdf`; a key that could escape the store is refused with InvalidArtifactKeyError, and a
 * missing one answers ArtifactNotFoundError from `get` and `stream`.
 */
export interface ArtifactStore {
  /** Stores the bytes under `key`, replacing what was there; readers never see a partial artifact. */
  put(key: string, data: Buffer): Promise<ArtifactPutResult>;
  get(key: string): Promise<Buffer>;
  /** Opens the artifact before resolving, so a missing one fails here rather than mid-response. */
  stream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Resolves false when there was nothing to delete. */
  delete(key: string): Promise<boolean>;
}
