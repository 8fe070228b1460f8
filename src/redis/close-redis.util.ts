import type { RedisClient } from './redis-client.js';
import { withTimeout } from './with-timeout.util.js';

/**
 * Closes a client without ever waiting on a dead server: `quit()` on a disconnected client with an
 * offline queue waits for a reconnect that may never come, so such a client is dropped at once, and a
 * live one gets `timeoutMs` to say goodbye.
 */
export async function closeRedis(client: RedisClient, timeoutMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await withTimeout(client.quit(), timeoutMs).catch(() => 'failed');
  // Also after a QUIT: it ends the connection, not the connector, and a Sentinel client's failover
  // detector keeps its subscriptions to the sentinels until the connector is disconnected.
  client.disconnect();
}
