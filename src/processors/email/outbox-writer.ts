import { join, resolve } from 'node:path';
import { sha256Hex } from '../../artifacts/sha256.util.js';
import { writeFileAtomic } from '../../artifacts/write-file-atomic.util.js';

export interface OutboxMessage {
  eml: Buffer;
  messageId: string;
  to: readonly string[];
}

/** Shaped like a transport's send result, so the caller can swap the outbox for SMTP later. */
export interface OutboxDelivery {
  messageId: string;
  accepted: string[];
  rejected: string[];
  path: string;
}

const MAX_NAME_LENGTH = 200;

/**
 * A file name for a Message-ID: safe characters kept, anything else replaced. When replacing changed the
 * id, a short hash of the original is appended so two ids that differ only there do not share a file.
 */
export function messageIdFileName(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, '');
  const safe = bare
    .replace(/[^A-Za-z0-9._@+-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, MAX_NAME_LENGTH);
  return safe === bare && safe.length > 0
    ? `${safe}.eml`
    : `${safe}-${sha256Hex(messageId).slice(0, 12)}.eml`;
}

/** "Sends" mail by dropping .eml files into a directory, for development, tests and offline installs. */
export class OutboxWriter {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async write(message: OutboxMessage): Promise<OutboxDelivery> {
    const path = join(this.dir, messageIdFileName(message.messageId));
    await writeFileAtomic(path, message.eml);
    return { messageId: message.messageId, accepted: [...message.to], rejected: [], path };
  }
}
