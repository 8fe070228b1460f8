/** One server's address, as the URL wrote it. */
export interface RedisNode {
  host: string;
  port: number;
}

/** TLS settings shared by every node; without `ca`, Node's trusted CAs (and NODE_EXTRA_CA_CERTS) apply. */
export interface RedisTls {
  /** PEM, from REDIS_TLS_CA_FILE. */
  ca?: string;
  /** The name certificates are checked against, when nodes are reached by an address they do not name. */
  servername?: string;
}

/** Settings from other variables that every node of a URL's topology gets. */
export interface RedisUrlExtras {
  tls?: RedisTls;
  sentinelPassword?: string;
}

/** What every node of a topology is reached with: the data nodes' credentials and TLS. */
interface RedisEndpointBase {
  username?: string;
  password?: string;
  /** Set for `rediss…` URLs: TLS to every node, sentinels included. */
  tls?: RedisTls;
  /** The URL with its password masked, for logs and errors. */
  display: string;
}

export interface StandaloneTopology extends RedisEndpointBase {
  kind: 'standalone';
  node: RedisNode;
  db: number;
}

export interface SentinelTopology extends RedisEndpointBase {
  kind: 'sentinel';
  sentinels: RedisNode[];
  masterName: string;
  db: number;
  /** SENTINEL_PASSWORD: the sentinels' own password, if they have one. */
  sentinelPassword?: string;
}

export interface ClusterTopology extends RedisEndpointBase {
  kind: 'cluster';
  /** Seed nodes; the client discovers the others from them. */
  nodes: RedisNode[];
}

/** A parsed `REDIS_URL` / `QUEUE_REDIS_URL`: every client of the service is made from one of these. */
export type RedisTopology = StandaloneTopology | SentinelTopology | ClusterTopology;

const DEFAULT_PORT = { standalone: 6379, sentinel: 26379, cluster: 6379 } as const;

// scheme, optional userinfo, a comma-separated host list, optional path. No query or fragment.
const URL_SHAPE = /^(rediss?)(?:\+(sentinel|cluster))?:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?$/i;
// host:port, [ipv6]:port, or either without the port.
const NODE_SHAPE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/;
const MASTER_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** A malformed URL; the message describes the problem without repeating the URL (it may hold a password). */
export class RedisUrlError extends Error {}

/**
 * Parses the URL forms the service accepts:
 * - `redis[s]://[user:password@]host[:port][/db]`
 * - `redis[s]+sentinel://[user:password@]host[:port][,host[:port]...]/<master-name>[/db]`
 * - `redis[s]+cluster://[user:password@]host[:port][,host[:port]...]`
 * The user and password are the data nodes'; sentinels have their own (SENTINEL_PASSWORD).
 */
export function parseRedisUrl(url: string, extras: RedisUrlExtras = {}): RedisTopology {
  const match = URL_SHAPE.exec(url.trim());
  if (!match) {
    throw new RedisUrlError(
      'must look like redis[s]://host:port[/db], redis[s]+sentinel://host:port[,host:port]/<master-name> ' +
        'or redis[s]+cluster://host:port[,host:port] (query parameters are not read)',
    );
  }
  const [, scheme, mode, userinfo, hostList, rawPath = ''] = match;
  const kind = (mode?.toLowerCase() ?? 'standalone') as RedisTopology['kind'];
  const nodes = parseNodes(hostList, DEFAULT_PORT[kind]);
  const { username, password } = parseUserinfo(userinfo);
  const secure = scheme.toLowerCase() === 'rediss';
  const credentials = `${username ?? ''}${password === undefined ? '' : ':***'}`;
  const base: RedisEndpointBase = {
    username,
    password,
    tls: secure ? { ...extras.tls } : undefined,
    display: `${scheme}${mode ? `+${mode}` : ''}://${credentials ? `${credentials}@` : ''}${hostList}${rawPath}`,
  };
  const path = rawPath.split('/').filter(Boolean);
  switch (kind) {
    case 'standalone':
      if (nodes.length > 1)
        throw new RedisUrlError('several hosts need redis+sentinel:// or redis+cluster://');
      if (path.length > 1) throw new RedisUrlError('the path is the database number, e.g. /0');
      return { kind, ...base, node: nodes[0], db: parseDb(path[0]) };
    case 'sentinel': {
      const [masterName, db, ...rest] = path;
      if (!masterName || !MASTER_NAME.test(decodeURIComponent(masterName)) || rest.length > 0) {
        throw new RedisUrlError(
          'the path must name the master: redis+sentinel://host:port/<master-name>[/db]',
        );
      }
      return {
        kind,
        ...base,
        sentinels: nodes,
        masterName: decodeURIComponent(masterName),
        db: parseDb(db),
        sentinelPassword: extras.sentinelPassword,
      };
    }
    case 'cluster':
      if (path.length > 1 || (path.length === 1 && path[0] !== '0')) {
        throw new RedisUrlError('a cluster has only database 0: no path after the hosts');
      }
      return { kind, ...base, nodes };
  }
}

function parseNodes(hostList: string, defaultPort: number): RedisNode[] {
  const parts = hostList.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw new RedisUrlError('a host is missing (empty entry in the host list)');
  return parts.map((part) => {
    const m = NODE_SHAPE.exec(part);
    if (!m) throw new RedisUrlError('each host must be host:port, [ipv6]:port or host');
    const port = m[3] === undefined ? defaultPort : Number(m[3]);
    if (port < 1 || port > 65_535) throw new RedisUrlError('a port must be between 1 and 65535');
    return { host: m[1] ?? m[2], port };
  });
}

function parseUserinfo(userinfo: string | undefined): { username?: string; password?: string } {
  if (userinfo === undefined || userinfo === '') return {};
  const cut = userinfo.indexOf(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new RedisUrlError('the user or password has a bad %-escape');
    }
  };
  if (cut < 0) return { username: decode(userinfo) || undefined };
  const username = decode(userinfo.slice(0, cut)) || undefined;
  const password = decode(userinfo.slice(cut + 1));
  return { username, password: password === '' ? undefined : password };
}

function parseDb(segment: string | undefined): number {
  if (segment === undefined) return 0;
  if (!/^\d{1,5}$/.test(segment)) throw new RedisUrlError('the database must be a number, e.g. /0');
  return Number(segment);
}
