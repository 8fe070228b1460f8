import { isCluster, type RedisClient } from './redis-client.js';

/**
 * Holds a client's writes until the end of this turn of the event loop, so the commands of every request
 * handled in the turn leave in one system call (and reach Redis in one read) instead of one each: under
 * load, about a third of an enqueueing POST's CPU went to writing its two script calls to the socket
 * (profiled; docs/benchmarks.md). ioredis's `enableAutoPipelining` batches the same way but builds a
 * Pipeline per batch, copying every script defined on the connection into it: measured slower here.
 */
export function corkForTurn(client: RedisClient): void {
  // A Cluster client writes to one socket per node, chosen per command: nothing to cork as one.
  if (isCluster(client)) return;
  const stream = client.stream;
  if (!stream || stream.writableCorked > 0) return;
  stream.cork();
  setImmediate(() => stream.uncork());
}
