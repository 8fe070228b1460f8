import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from './eventually.js';
import { TestRedis } from './redis-server.js';

const run = promisify(execFile);

export interface TestClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  /** Short, so a killed master is noticed and failed over within ~2 s. */
  nodeTimeoutMs?: number;
}

export interface KilledMaster {
  port: number;
  replicas: number[];
  killedAt: number;
}

interface NodeRow {
  id: string;
  port: number;
  flags: string[];
  masterId?: string;
  slots: [number, number][];
}

/** `CLUSTER NODES`, one row per node; `fail`/`noaddr` nodes are kept with their flags. */
function parseNodes(text: string): NodeRow[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flags, master, , , , , ...slots] = line.split(' ');
      return {
        id,
        port: Number(addr.split('@')[0].split(':')[1]),
        flags: flags.split(','),
        masterId: master === '-' ? undefined : master,
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => s.split('-').map(Number))
          .map(([a, b]) => [a, b ?? a] as [number, number]),
      };
    });
}

/**
 * A private Redis Cluster on free loopback ports (three masters with a replica each by default), owned by
 * one test file. Nodes run with `--cluster-replica-validity-factor 0` (a fresh replica may always take
 * over) and a short `--cluster-node-timeout`, so a SIGKILLed master's replica is promoted in seconds.
 * Every process is one this harness spawned, ended by its own PID (see TestRedis).
 */
export class TestRedisCluster {
  private constructor(
    readonly nodes: TestRedis[],
    private readonly options: Required<TestClusterOptions>,
  ) {}

  static async start(options: TestClusterOptions = {}): Promise<TestRedisCluster> {
    const opts = { masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1_000, ...options };
    const count = opts.masters * (1 + opts.replicasPerMaster);
    const nodes: TestRedis[] = [];
    try {
      for (let i = 0; i < count; i++) {
        nodes.push(
          await TestRedis.start({
            extraArgs: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              'nodes.conf',
              // The bus port would be port + 10000, which may be taken or past 65535: pick a free one.
              '--cluster-port',
              String(await freePort()),
              '--cluster-node-timeout',
              String(opts.nodeTimeoutMs),
              '--cluster-replica-validity-factor',
              '0',
            ],
          }),
        );
      }
      const cluster = new TestRedisCluster(nodes, opts);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(opts.replicasPerMaster),
        '--cluster-yes',
      ]);
      await cluster.waitUntilHealthy(20_000);
      return cluster;
    } catch (err) {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      throw err;
    }
  }

  /** `redis+cluster://` with every node as a seed, the form REDIS_URL / QUEUE_REDIS_URL accept. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  get seeds(): { host: string; port: number }[] {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  /** A cluster client for assertions; the caller disconnects it. */
  client(): Cluster {
    return new Cluster(this.seeds, { redisOptions: { maxRetriesPerRequest: 1 } });
  }

  async withClient<T>(fn: (client: Cluster) => Promise<T>): Promise<T> {
    const client = this.client();
    try {
      return await fn(client);
    } finally {
      client.disconnect();
    }
  }

  private live(): TestRedis[] {
    return this.nodes.filter((n) => n.running);
  }

  /** The topology as a live node sees it. */
  async topology(): Promise<NodeRow[]> {
    const node = this.live()[0];
    return parseNodes(await node.withClient((c) => c.cluster('NODES') as Promise<string>));
  }

  /** Ports of the masters that serve slots and are not failed, as seen by a live node. */
  async masterPorts(): Promise<number[]> {
    return (await this.topology())
      .filter(
        (n) => n.flags.includes('master') && !n.flags.some((f) => f.startsWith('fail')) && n.slots.length,
      )
      .map((n) => n.port);
  }

  /** The port of the master serving `slot`. */
  async masterOfSlot(slot: number): Promise<number> {
    const row = (await this.topology()).find(
      (n) =>
        n.flags.includes('master') &&
        !n.flags.some((f) => f.startsWith('fail')) &&
        n.slots.some(([a, b]) => slot >= a && slot <= b),
    );
    if (!row) throw new Error(`no live master serves slot ${slot}`);
    return row.port;
  }

  /**
   * SIGKILLs the master on `port` (a crash); resolves once it is dead, with what `waitForPromotion` needs.
   * Commands sent after this resolves reach either a replica being promoted or nothing.
   */
  async killMaster(port: number): Promise<KilledMaster> {
    const rows = await this.topology();
    const master = rows.find((r) => r.port === port && r.flags.includes('master'));
    if (!master) throw new Error(`${port} is not a master`);
    const replicas = rows.filter((r) => r.masterId === master.id).map((r) => r.port);
    if (replicas.length === 0) throw new Error(`master ${port} has no replica to promote`);
    await this.nodes.find((n) => n.port === port)!.kill();
    return { port, replicas, killedAt: Date.now() };
  }

  /**
   * Waits until one of the killed master's replicas is a master and every live node reports
   * `cluster_state:ok` again. Returns the new master's port and the time from the SIGKILL to promotion.
   */
  async waitForPromotion(
    killed: KilledMaster,
    timeoutMs = 15_000,
  ): Promise<{ promoted: number; ms: number }> {
    const promoted = await eventually(
      async () => {
        for (const replica of killed.replicas) {
          const n = this.nodes.find((x) => x.port === replica)!;
          const role = await n.withClient((c) => c.role() as Promise<unknown[]>);
          if (role[0] === 'master') return replica;
        }
        throw new Error(`no replica of ${killed.port} promoted yet`);
      },
      timeoutMs,
      50,
    );
    const ms = Date.now() - killed.killedAt;
    await this.waitUntilHealthy(timeoutMs);
    return { promoted, ms };
  }

  /** Every live node says `cluster_state:ok` and agrees every slot is served by a live master. */
  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    await eventually(
      async () => {
        for (const node of this.live()) {
          const info = await node.withClient((c) => c.cluster('INFO') as Promise<string>);
          if (!/cluster_state:ok/.test(info)) throw new Error(`node ${node.port}: ${info.split('\n')[0]}`);
          const rows = parseNodes(await node.withClient((c) => c.cluster('NODES') as Promise<string>));
          const covered = rows
            .filter((r) => r.flags.includes('master') && !r.flags.some((f) => f.startsWith('fail')))
            .reduce((sum, r) => sum + r.slots.reduce((s, [a, b]) => s + b - a + 1, 0), 0);
          if (covered !== 16_384) throw new Error(`node ${node.port} sees ${covered} slots served`);
          const known = rows.filter((r) => !r.flags.includes('noaddr')).length;
          if (known < this.nodes.length) throw new Error(`node ${node.port} knows ${known} nodes`);
        }
      },
      timeoutMs,
      100,
    );
  }

  /** Keys on each live master (SCAN per node, as the service's flush does), by port. */
  async keysByMaster(pattern: string): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const port of await this.masterPorts()) {
      const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          keys.push(...batch);
          cursor = next;
        } while (cursor !== '0');
        out.set(port, keys);
      } finally {
        client.disconnect();
      }
    }
    return out;
  }

  get nodeTimeoutMs(): number {
    return this.options.nodeTimeoutMs;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.stop()));
  }
}
