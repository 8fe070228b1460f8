import { mastersOf, type RedisClient } from './redis-client.js';

/**
 * `WAIT n timeoutMs` on every master the client writes to: how many replicas have acknowledged every
 * write this connection made so far (the fewest, on a Cluster). Never waits longer than `timeoutMs`
 * (a WAIT with timeout 0 would block forever).
 */
export async function waitForReplicas(client: RedisClient, n: number, timeoutMs: number): Promise<number> {
  const acks = await Promise.all(mastersOf(client).map((m) => m.wait(n, Math.max(1, timeoutMs))));
  return Math.min(...acks);
}

/** Replicas attached to the master now (the fewest, on a Cluster), from INFO replication. */
export async function attachedReplicas(client: RedisClient): Promise<number> {
  const infos = await Promise.all(mastersOf(client).map((m) => m.info('replication')));
  return Math.min(...infos.map((info) => Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 0)));
}
