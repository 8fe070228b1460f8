import { isCluster, mastersOf, type RedisClient } from './redis-client.js';

/** What a key layout needs to know of a client: ioredis `Redis` and `Cluster` both say which they are. */
export interface ClusterAware {
  readonly isCluster: boolean;
}

/**
 * `{name}` on a Redis Cluster, `name` elsewhere. Keys one command, transaction or script touches together
 * must hash to one slot on a Cluster, and Redis hashes only what is inside a key's first `{...}`. On
 * standalone and Sentinel the name stays bare, so keys written before Cluster support keep their names
 * (an upgrade loses no queued job, schedule or run); docs/redis-topologies.md lists the layout.
 */
export function slotTag(redis: ClusterAware, name: string): string {
  return redis.isCluster ? `{${name}}` : name;
}

/**
 * UNLINKs every key matching `pattern` on every master, in batches. On a Cluster a batch from one node
 * may span slots, which one UNLINK refuses (CROSSSLOT): there each key goes alone, pipelined on the node
 * that holds it. Returns how many keys were unlinked.
 */
export async function unlinkMatching(client: RedisClient, pattern: string, count = 500): Promise<number> {
  let unlinked = 0;
  // A SCAN reaches one node only: every master is scanned.
  for (const node of mastersOf(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length === 0) continue;
      if (!isCluster(client)) {
        unlinked += await node.unlink(...keys);
        continue;
      }
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      for (const [err, n] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        unlinked += n as number;
      }
    } while (cursor !== '0');
  }
  return unlinked;
}
