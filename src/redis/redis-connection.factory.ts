import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisRole } from './redis.constants.js';

export interface RedisConnectionSettings {
  url: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Reconnect forever, backing off to at most one attempt a second, so recovery is noticed within ~1 s. */
const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 5), 1_000);

function optionsFor(role: RedisRole, s: RedisConnectionSettings): RedisOptions {
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
      };
    case 'queue-worker':
      return { ...common, maxRetriesPerRequest: null, enableOfflineQueue: true };
    case 'subscriber':
      return { ...common, maxRetriesPerRequest: null, enableOfflineQueue: true };
  }
}

/**
 * The one place Redis clients are made. Logs one warning when a connection is lost and one line when it
 * is back, never one per failed command, and never the URL's password.
 */
export function createRedisConnection(role: RedisRole, settings: RedisConnectionSettings): Redis {
  const logger = new Logger(`Redis:${role}`);
  const client = new Redis(settings.url, optionsFor(role, settings));
  let everReady = false;
  let down = false;
  client.on('ready', () => {
    if (down) logger.log(`connection to ${redactUrl(settings.url)} restored`);
    down = false;
    everReady = true;
  });
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      `${everReady ? 'connection lost' : 'cannot connect'} to ${redactUrl(settings.url)}: ${err.message}; retrying`,
    );
  });
  return client;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
