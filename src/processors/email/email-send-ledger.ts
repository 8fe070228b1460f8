import type { RedisClient } from '../../redis/redis-client.js';

/** What the server is known to have, per task. */
export type SendRecord =
  /**
   * A transaction may be under way; the server cannot have the message yet. Its attempt may finish it
   * until `leaseUntil` (Redis time, ms); only after that may another attempt take the send over.
   */
  | { state: 'sending'; token: string; leaseUntil?: number; retryInMs?: number }
  /** The end of the message may have reached the server: never send again. */
  | { state: 'committing'; token: string }
  | {
      state: 'sent';
      messageId: string;
      accepted: string[];
      rejected: string[];
    };

export type ClaimOutcome = { claimed: true } | { claimed: false; record: SendRecord };

// Claims the send unless the message may already be at the server. A "sending" record is taken over
// once its lease has run out: its attempt died, or is past the point where it may still commit.
// ARGV: token, ttl seconds, lease ms.
const CLAIM = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = redis.call('GET', KEYS[1])
if current then
  local record = cjson.decode(current)
  if record.state ~= 'sending' then return current end
  if record.leaseUntil and record.leaseUntil > now then
    record.retryInMs = record.leaseUntil - now
    return cjson.encode(record)
  end
end
local leaseUntil = now + tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode({ state = 'sending', token = ARGV[1], leaseUntil = leaseUntil }), 'EX', ARGV[2])
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
    private readonly redis: RedisClient,
    private readonly keyOf: (taskId: string) => string,
    private readonly ttlSeconds: number,
  ) {}

  async claim(taskId: string, token: string, leaseMs: number): Promise<ClaimOutcome> {
    const key = this.keyOf(taskId);
    const current = (await this.redis.eval(CLAIM, 1, key, token, this.ttlSeconds, leaseMs)) as string | null;
    return current ? { claimed: false, record: JSON.parse(current) as SendRecord } : { claimed: true };
  }

  /**
   * Records "committing". Called in the same turn of the event loop as the write of the message's end, so
   * the command is on its way to Redis before that write: throws synchronously (nothing sent) unless
   * the connection is ready. False: the claim had been taken over (see the lease in SmtpMailDelivery).
   */
  commit(taskId: string, token: string): Promise<boolean> {
    if (this.redis.status !== 'ready') throw new Error('the send ledger is unavailable');
    const record = JSON.stringify({ state: 'committing', token });
    return this.redis
      .eval(TRANSITION, 1, this.keyOf(taskId), token, record, this.ttlSeconds, 'sending')
      .then((applied) => applied === 1);
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
