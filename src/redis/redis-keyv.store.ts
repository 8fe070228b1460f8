import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { corkForTurn } from './cork-for-turn.util.js';
import { unlinkMatching } from './cluster-keys.util.js';
import type { RedisClient } from './redis-client.js';

const CLEAR_BATCH = 500;

/**
 * A Keyv store over one of our own Redis clients, so the cache's Redis tier follows the same topology
 * (standalone, Sentinel master, Cluster), TLS and backoff as every other client, on the connection the
 * factory made (see docs/redis-topologies.md for why not `@keyv/redis`). Keys are `<namespace>:<key>`,
 * as `@keyv/redis` wrote them, so entries written before the switch are still read.
 *
 * The client is shared and owned by the connection service: `disconnect()` leaves it open.
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'redis' };
  /** Set by Keyv from its own option; required, since `clear()` deletes what it covers. */
  namespace?: string;

  constructor(private readonly client: RedisClient) {
    super();
  }

  /**
   * The Redis tier's hot read. The writes of one turn leave in one system call (`corkForTurn`): under 64
   * concurrent reads that made ioredis 1.8x node-redis's throughput here, where one write per GET made
   * it 0.5-0.7x (docs/redis-topologies.md).
   */
  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    corkForTurn(this.client);
    return this.client.get(this.prefixed(key)).then((value) => (value ?? undefined) as StoredData<Value>);
  }

  /** `ttl` in milliseconds, as Keyv gives it. */
  async set(key: string, value: string, ttl?: number): Promise<void> {
    if (ttl) await this.client.set(this.prefixed(key), value, 'PX', ttl);
    else await this.client.set(this.prefixed(key), value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.unlink(this.prefixed(key))) > 0;
  }

  /** Deletes this namespace's keys on every master, and nothing else (queue jobs share the server). */
  async clear(): Promise<void> {
    if (!this.namespace) throw new Error('RedisKeyvStore: refusing to clear without a namespace');
    await unlinkMatching(this.client, `${this.namespace}:*`, CLEAR_BATCH);
  }

  /** The client belongs to the connection service, which closes it last on shutdown. */
  async disconnect(): Promise<void> {}

  private prefixed(key: string): string {
    return this.namespace ? `${this.namespace}:${key}` : key;
  }
}
