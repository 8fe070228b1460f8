import { parseRedisInfo } from './redis-info.util.js';

describe('parseRedisInfo', () => {
  it('reads key:value lines across sections, skipping headers and blanks', () => {
    const text = '# Clients\r\nconnected_clients:7\r\n\r\n# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\n';
    expect(parseRedisInfo(text)).toEqual({ connected_clients: '7', used_memory: '1048576', maxmemory: '0' });
  });

  it('keeps colons inside values', () => {
    expect(parseRedisInfo('executable:/usr/bin/redis-server\nmaster_host:a:b\n')).toEqual({
      executable: '/usr/bin/redis-server',
      master_host: 'a:b',
    });
  });
});
