import type { RedisClient } from './redis-client.js';

/**
 * Defines Lua scripts as commands on a shared connection, once: several services (and several app
 * instances in one process, as in the tests) may be handed the same client. Returns it, typed with them.
 */
export function defineScripts<Client extends RedisClient>(
  client: RedisClient,
  scripts: Record<string, { lua: string; numberOfKeys?: number }>,
): Client {
  for (const [name, definition] of Object.entries(scripts)) {
    if (!(name in client)) client.defineCommand(name, definition);
  }
  return client as Client;
}
