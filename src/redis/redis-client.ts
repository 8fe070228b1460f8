import { Cluster, type Redis } from 'ioredis';

/**
 * What services hold: one server's client (standalone, or the current master behind Sentinel), or a
 * Cluster client. Both have the same command methods; what differs (a socket of its own, node lists) is
 * asked through `isCluster`.
 */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** The servers a command for every key must reach: each master of a Cluster, else the client itself. */
export function mastersOf(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}
