import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `filePath` so that readers see either the old file or the complete new one, never a
 * partial write: the bytes go to a temp file in the same directory (rename is only atomic within one
 * filesystem), are flushed to disk, then renamed over the target.
 */
export async function writeFileAtomic(filePath: string, data: Buffer): Promise<void> {
  const dir = dirname(filePath);
  await mkdir(dir, { recursive: true });
  const tempPath = join(dir, `.${basename(filePath)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(data);
      // Without the flush a crash right after rename can leave a renamed but empty file on some filesystems.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
