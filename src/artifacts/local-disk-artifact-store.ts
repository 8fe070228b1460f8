import { open, readFile, rm, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Hex } from './sha256.util.js';
import { writeFileAtomic } from './write-file-atomic.util.js';
import { assertArtifactKey, InvalidArtifactKeyError } from './artifact-key.js';
import { ArtifactNotFoundError } from './artifact-not-found.error.js';
import type { ArtifactPutResult, ArtifactStore } from './artifact-store.js';

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Keeps artifacts as plain files under one directory, e.g. `<DATA_DIR>/artifacts`. */
export class LocalDiskArtifactStore implements ArtifactStore {
  private readonly root: string;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
  }

  async put(key: string, data: Buffer): Promise<ArtifactPutResult> {
    const path = this.pathOf(key);
    await writeFileAtomic(path, data);
    return { bytes: data.length, sha256: sha256Hex(data), path };
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async stream(key: string): Promise<Readable> {
    try {
      // The stream owns the handle and closes it when it ends, errors or is destroyed.
      return (await open(this.pathOf(key), 'r')).createReadStream();
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    if (!(await this.exists(key))) return false;
    await rm(path, { force: true });
    return true;
  }

  private pathOf(key: string): string {
    assertArtifactKey(key);
    const path = resolve(this.root, key);
    // The key check already forbids "..", this is the backstop should that check ever loosen.
    if (!path.startsWith(this.root + sep)) throw new InvalidArtifactKeyError(key);
    return path;
  }
}
