import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256, the form artifacts are recorded and compared in. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
