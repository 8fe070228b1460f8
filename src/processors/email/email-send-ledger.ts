import type { Redis } from 'ioredis';

/** What the server is known to have, per task. */
export type SendRecord =
  /** A transaction may be under way; the server cannot have the message yet. */
  | { state: 'sending'; token: string }
  /** The end of the message may have reached the server: never send again. */
  | { state: 'committing'; token: string }
  | {
      state: 'sent';
      messageId: string;
      accepted: string[];
      rejected: string[];
    };

export type ClaimOutcome = { claimed: true } | { claimed: false; record: SendRecord };

// Claims the send unless the message may already be at the server. A "sending" record is taken over:
// its attempt died (or lost its job lock) before committing, and its own commit will now fail.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then
  local record = cjson.decode(current)
  if record.state ~= 'sending' then return current end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false`;

// Replaces the record, only for the attempt holding the claim and only from the expected state:
// "sending" -> "committing" just before the final dot, "committing" -> released when the server refused
// the message (it does not have it, so sending is safe again).
const TRANSITION = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.state ~= ARGV[4] or record.token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/**
 * Exactly-once bookkeeping of SMTP sends, one record per task in the queue Redis (noeviction, AOF),
 * changed only by atomic scripts. The record lives as long as the task can be retried (the longer of
 * the two retention ages). docs/adapters.md walks through every crash point.
 */
export class EmailSendLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (taskId: string) => string,
    private readonly ttlSeconds: number,
  ) {}

  async claim(taskId: string, token: string): Promise<ClaimOutcome> {
    const record = JSON.stringify({ state: 'sending', token });
    const current = (await this.redis.eval(CLAIM, 1, this.keyOf(taskId), record, this.ttlSeconds)) as
      string | null;
    return current ? { claimed: false, record: JSON.parse(current) as SendRecord } : { claimed: true };
  }

  /** False: another attempt took the claim over; this one must not finish its transaction. */
  async commit(taskId: string, token: string): Promise<boolean> {
    const record = JSON.stringify({ state: 'committing', token });
    return (
      (await this.redis.eval(
        TRANSITION,
        1,
        this.keyOf(taskId),
        token,
        record,
        this.ttlSeconds,
        'sending',
      )) === 1
    );
  }

  async release(taskId: string, token: string): Promise<void> {
    const record = JSON.stringify({ state: 'sending', token });
    await this.redis.eval(TRANSITION, 1, this.keyOf(taskId), token, record, this.ttlSeconds, 'committing');
  }

  async sent(taskId: string, result: Omit<Extract<SendRecord, { state: 'sent' }>, 'state'>): Promise<void> {
    await this.redis.set(
      this.keyOf(taskId),
      JSON.stringify({ state: 'sent', ...result }),
      'EX',
      this.ttlSeconds,
    );
  }
}
