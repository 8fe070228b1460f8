export type RedisInfo = Record<string, string>;

/** `INFO`'s `key:value` lines; section headers (`# Memory`) and blank lines are skipped. */
export function parseRedisInfo(text: string): RedisInfo {
  const info: RedisInfo = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) info[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return info;
}
