import { Logger } from '@nestjs/common';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ClusterTopology, RedisTopology } from '../config/redis-topology.js';
import type { RedisClient } from './redis-client.js';
import type { RedisRole } from './redis.constants.js';

export interface RedisConnectionSettings {
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * The one backoff of every Redis client: reconnect forever, backing off to at most one attempt a second,
 * so recovery (or a new master) is noticed within ~1 s. Used for a lost server, for unreachable sentinels
 * and for unreachable cluster seeds alike.
 */
export const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 5), 1_000);

/**
 * After a failover, a client still on the demoted master gets READONLY for writes: reconnecting lets
 * Sentinel (or the cluster's slot map) lead it to the new master. Clients that wait (workers, subscribers)
 * also resend the command (2); fail-fast ones let it fail (1), as they do while Redis is away.
 */
const onReadOnly = (resend: boolean) => (err: Error) =>
  err.message.startsWith('READONLY') ? (resend ? 2 : 1) : false;

/** What a role does while its server is away; see `RedisRole`. */
function roleOptions(role: RedisRole, s: RedisConnectionSettings): RedisOptions {
  const common: RedisOptions = {
    connectionName: `strata:${role}`,
    connectTimeout: s.connectTimeoutMs,
    retryStrategy: reconnectDelay,
    // Without this, a client that lost its server keeps a "ready" status until the socket times out.
    keepAlive: 10_000,
    // disconnect() arms a timer (2 s by default) that only the socket's 'close' clears; a client between
    // reconnects still holds its last, already closed socket, so the timer ran out in full and held a
    // stopping process (and the test runner) that long.
    disconnectTimeout: 200,
  };
  switch (role) {
    case 'cache':
    case 'queue':
      return {
        ...common,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: s.commandTimeoutMs,
        reconnectOnError: onReadOnly(false),
      };
    case 'queue-worker':
    case 'subscriber':
      return {
        ...common,
        maxRetriesPerRequest: null,
        enableOfflineQueue: true,
        reconnectOnError: onReadOnly(true),
      };
  }
}

/** Credentials, database and TLS of a standalone server or of the master Sentinel names. */
function serverOptions(topology: RedisTopology): RedisOptions {
  return {
    username: topology.username,
    password: topology.password,
    ...(topology.kind !== 'cluster' && { db: topology.db }),
    ...(topology.tls && { tls: { ...topology.tls } }),
  };
}

/** Everything but the socket's target: what `createRedisConnection` gives a role on this topology. */
export function redisOptionsFor(
  role: RedisRole,
  topology: RedisTopology,
  s: RedisConnectionSettings,
): RedisOptions {
  const options = { ...roleOptions(role, s), ...serverOptions(topology) };
  switch (topology.kind) {
    case 'standalone':
      return { ...options, host: topology.node.host, port: topology.node.port };
    case 'sentinel':
      return {
        ...options,
        sentinels: topology.sentinels,
        name: topology.masterName,
        role: 'master',
        sentinelPassword: topology.sentinelPassword,
        // While no sentinel answers, keep asking, on the same backoff.
        sentinelRetryStrategy: reconnectDelay,
        // The failover detector's own sentinel connections are not reconnected: each new connection to
        // the master subscribes afresh, and the other sentinels announce a switch too. A retry timer
        // here would outlive the client: BullMQ closes its duplicated connections with QUIT, which
        // leaves the detector subscribed, reconnecting to sentinels forever.
        sentinelReconnectStrategy: () => null,
        sentinelCommandTimeout: s.connectTimeoutMs,
        // Subscribes to the sentinels' +switch-master and moves at once, instead of when the old
        // master's socket dies (a SIGKILLed host may take keepAlive's minutes to notice).
        failoverDetector: true,
        ...(topology.tls && { enableTLSForSentinelMode: true, sentinelTLS: { ...topology.tls } }),
      };
    case 'cluster':
      return options;
  }
}

/**
 * A Cluster client's options: each node connection behaves as the role's standalone client would; the
 * offline queue and the reconnect of the whole are the Cluster's own settings.
 */
export function clusterOptionsFor(
  role: RedisRole,
  topology: ClusterTopology,
  s: RedisConnectionSettings,
): ClusterOptions {
  const { enableOfflineQueue, retryStrategy, ...node } = redisOptionsFor(role, topology, s);
  return {
    redisOptions: node,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy,
    // No `clusterNodeRetryStrategy`: a node connection that reconnects forever keeps the commands sent to
    // a dead master (a worker's blocking BZPOPMIN) waiting on it, and the Cluster never moves them to the
    // promoted replica. Ended instead, the node is dropped, the slots refreshed and the commands resent:
    // a Worker resumed 2.7 s after its master's SIGKILL this way, and not within 40 s with it.
  };
}

/**
 * The one place Redis clients are made, for every topology. Logs one warning when a connection is lost
 * and one line when it is back, never one per failed command, and never a password.
 */
export function createRedisConnection(
  role: RedisRole,
  topology: RedisTopology,
  settings: RedisConnectionSettings,
): RedisClient {
  const logger = new Logger(`Redis:${role}`);
  const client: RedisClient =
    topology.kind === 'cluster'
      ? new Cluster(topology.nodes, clusterOptionsFor(role, topology, settings))
      : new Redis(redisOptionsFor(role, topology, settings));
  let everReady = false;
  let down = false;
  client.on('ready', () => {
    if (down) logger.log(`connection to ${topology.display} restored`);
    down = false;
    everReady = true;
  });
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      `${everReady ? 'connection lost' : 'cannot connect'} to ${topology.display}: ${err.message}; retrying`,
    );
  });
  return client;
}
