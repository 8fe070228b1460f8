import type { Duplex } from 'node:stream';
import { mastersOf, type RedisClient } from './redis-client.js';

/** Clients whose sockets are corked until the end of the current turn. */
const corked = new WeakSet<RedisClient>();

/**
 * Holds a client's writes until the end of this turn of the event loop, so the commands of every request
 * handled in the turn leave in one system call (and reach Redis in one read) instead of one each: under
 * load, about a third of an enqueueing POST's CPU went to writing its two script calls to the socket
 * (profiled; docs/benchmarks.md). ioredis's `enableAutoPipelining` batches the same way but builds a
 * Pipeline per batch, copying every script defined on the connection into it: measured slower here.
 *
 * A Cluster client writes to one socket per node, chosen per command: each master's socket is corked
 * (an enqueue writes to its queue's master and to the task index's, often another).
 */
export function corkForTurn(client: RedisClient): void {
  if (corked.has(client)) return;
  const streams = socketsOf(client).filter((stream) => stream.writableCorked === 0);
  if (streams.length === 0) return;
  corked.add(client);
  for (const stream of streams) stream.cork();
  setImmediate(() => {
    corked.delete(client);
    for (const stream of streams) stream.uncork();
  });
}

function socketsOf(client: RedisClient): Duplex[] {
  return mastersOf(client).flatMap((c) => (c.stream ? [c.stream] : []));
}
