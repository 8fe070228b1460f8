import { parseRedisUrl, RedisUrlError } from './redis-topology.js';

const fails = (url: string) => {
  try {
    parseRedisUrl(url);
  } catch (err) {
    expect(err).toBeInstanceOf(RedisUrlError);
    return (err as Error).message;
  }
  throw new Error(`expected ${url} to be refused`);
};

describe('parseRedisUrl', () => {
  it('reads a standalone URL with credentials and a database', () => {
    expect(parseRedisUrl('redis://app:s%40cret@cache.internal:6380/2')).toEqual({
      kind: 'standalone',
      node: { host: 'cache.internal', port: 6380 },
      db: 2,
      username: 'app',
      password: 's@cret',
      tls: undefined,
      display: 'redis://app:***@cache.internal:6380/2',
    });
  });

  it('defaults the port and database, and takes a password without a user', () => {
    expect(parseRedisUrl('redis://:pw@127.0.0.1')).toMatchObject({
      node: { host: '127.0.0.1', port: 6379 },
      db: 0,
      username: undefined,
      password: 'pw',
      display: 'redis://:***@127.0.0.1',
    });
  });

  it('turns on TLS for rediss:// and hands every node the shared TLS settings', () => {
    const t = parseRedisUrl('rediss://h:6390', { tls: { ca: 'PEM', servername: 'redis.example' } });
    expect(t.tls).toEqual({ ca: 'PEM', servername: 'redis.example' });
    expect(parseRedisUrl('redis://h:6390', { tls: { ca: 'PEM' } }).tls).toBeUndefined();
  });

  it('reads sentinels, the master name and the sentinel password', () => {
    const t = parseRedisUrl('rediss+sentinel://u:p@10.0.0.1:26379,[::1]:26380,s3/mymaster/1', {
      sentinelPassword: 'sp',
      tls: {},
    });
    expect(t).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '::1', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 1,
      username: 'u',
      password: 'p',
      sentinelPassword: 'sp',
      tls: {},
      display: 'rediss+sentinel://u:***@10.0.0.1:26379,[::1]:26380,s3/mymaster/1',
    });
  });

  it('reads cluster seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://a:7000,b:7001')).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
    expect(parseRedisUrl('REDISS+CLUSTER://a:7000').tls).toEqual({});
  });

  it.each([
    ['http://x', 'must look like'],
    ['redis://h:6379?family=6', 'query parameters'],
    ['redis+sentinel://h:26379', 'name the master'],
    ['redis+sentinel://h:26379/bad name', 'name the master'],
    ['redis+sentinel://h:26379/m/1/2', 'name the master'],
    ['redis+cluster://a:7000/3', 'only database 0'],
    ['redis://a:1,b:2', 'several hosts'],
    ['redis://h:6379/x', 'database must be a number'],
    ['redis://h:99999', 'between 1 and 65535'],
    ['redis+cluster://a:7000,,b:7001', 'a host is missing'],
    ['redis://h:port', 'host:port'],
    ['redis://u:%zz@h', 'bad %-escape'],
    ['redis+redis://h', 'must look like'],
  ])('refuses %s, saying why', (url, why) => {
    expect(fails(url)).toContain(why);
  });

  it('never repeats the URL (it may carry a password) in its message', () => {
    expect(fails('redis://u:topsecret@h:bad')).not.toContain('topsecret');
  });
});
