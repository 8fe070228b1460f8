import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisAnswers } from '../../src/redis/local-redis.js';
import { eventually } from './eventually.js';
import { TestRedis } from './redis-server.js';

export const MASTER_NAME = 'strata-test';

// A replica's full sync starts at once instead of after the default 5 s wait for more replicas to
// join the same diskless transfer (in production that wait adds to how long a rejoined replica takes).
const DATA_NODE_ARGS = ['--repl-diskless-sync-delay', '0'];

export interface SentinelSetOptions {
  /** How long a master must be silent before a sentinel calls it down. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

/** One `redis-server --sentinel` with its own config file (sentinels rewrite theirs). */
class TestSentinel {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(masterPort: number, options: Required<SentinelSetOptions>): Promise<TestSentinel> {
    const dir = mkdtempSync(join(tmpdir(), 'strata-sentinel-'));
    const sentinel = new TestSentinel(await freePort(), dir);
    writeFileSync(
      join(dir, 'sentinel.conf'),
      [
        `port ${sentinel.port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `logfile ${join(dir, 'sentinel.log')}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} ${options.downAfterMs}`,
        `sentinel failover-timeout ${MASTER_NAME} ${options.failoverTimeoutMs}`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    sentinel.child = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' });
    await eventually(async () => {
      if (!(await redisAnswers('127.0.0.1', sentinel.port, 200))) throw new Error('sentinel not up');
    }, 10_000);
    return sentinel;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A master, one replica and three sentinels (quorum 2) on free loopback ports, owned by one test file.
 * The data nodes are `TestRedis` processes with an AOF fsynced on every write, so a SIGKILLed master
 * restarts with what it had and Sentinel turns it into the new master's replica.
 */
export class SentinelSet {
  private constructor(
    readonly nodes: TestRedis[],
    private readonly sentinels: TestSentinel[],
  ) {}

  static async start(options: SentinelSetOptions = {}): Promise<SentinelSet> {
    const settings = { downAfterMs: 1_000, failoverTimeoutMs: 3_000, ...options };
    const master = await TestRedis.start({ persistent: true, extraArgs: DATA_NODE_ARGS });
    const replica = await TestRedis.start({
      persistent: true,
      extraArgs: [...DATA_NODE_ARGS, '--replicaof', '127.0.0.1', String(master.port)],
    });
    const sentinels = await Promise.all([1, 2, 3].map(() => TestSentinel.start(master.port, settings)));
    const set = new SentinelSet([master, replica], sentinels);
    // Ready when every sentinel knows the replica (and so can promote it) and the other sentinels.
    await eventually(
      async () => {
        for (const s of sentinels) {
          const [replicas, others] = await set.askSentinel(s.port, async (c) => [
            (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[],
            (await c.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[],
          ]);
          if (replicas.length < 1 || others.length < 2) throw new Error('sentinels still discovering');
        }
      },
      20_000,
      100,
    );
    await set.waitForReplica(replica);
    return set;
  }

  /** `redis+sentinel://` with every sentinel, for REDIS_URL / QUEUE_REDIS_URL. */
  get url(): string {
    return `redis+sentinel://${this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${MASTER_NAME}`;
  }

  /** The data node the sentinels currently name as master. */
  async master(): Promise<TestRedis> {
    const [, port] = (await this.askSentinel(this.sentinels[0].port, (c) =>
      c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME),
    )) as [string, string];
    const node = this.nodes.find((n) => n.port === Number(port));
    if (!node) throw new Error(`sentinels name an unknown master on port ${port}`);
    return node;
  }

  /**
   * SIGKILLs the master and waits until every sentinel names another node that answers as master.
   * Returns the killed node (restart it to make it a replica) and when the promotion was seen.
   */
  async killMaster(
    timeoutMs = 30_000,
  ): Promise<{ killed: TestRedis; promoted: TestRedis; killedAt: number; promotedAt: number }> {
    const killed = await this.master();
    await killed.kill();
    const killedAt = Date.now();
    const promoted = await eventually(
      async () => {
        const ports = await Promise.all(
          this.sentinels.map((s) =>
            this.askSentinel(s.port, (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)),
          ),
        );
        const port = Number((ports[0] as string[])[1]);
        if (port === killed.port || ports.some((p) => Number((p as string[])[1]) !== port))
          throw new Error('not yet promoted');
        const node = this.nodes.find((n) => n.port === port)!;
        const role = await node.withClient((c) => c.role());
        if (role[0] !== 'master') throw new Error('promoted node not yet a master');
        return node;
      },
      timeoutMs,
      50,
    );
    return { killed, promoted, killedAt, promotedAt: Date.now() };
  }

  /**
   * Starts a killed node again as the replica of the current master, as an orchestrator's start script
   * does (asking Sentinel first); Sentinel alone would convert it too, but only on its next 10 s INFO
   * round. Waits until it is in sync.
   */
  async restartAsReplica(node: TestRedis): Promise<void> {
    const master = await this.master();
    await node.restart([...DATA_NODE_ARGS, '--replicaof', '127.0.0.1', String(master.port)]);
    await this.waitForReplica(node);
  }

  /** Waits until `node` replicates the current master and is in sync with it. */
  async waitForReplica(node: TestRedis, timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        const info = await node.withClient((c) => c.info('replication'));
        if (!/role:slave/.test(info) || !/master_link_status:up/.test(info))
          throw new Error('not yet a replica in sync');
      },
      timeoutMs,
      100,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels.map((s) => s.stop()), ...this.nodes.map((n) => n.stop())]);
  }

  private async askSentinel<T>(port: number, ask: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      return await ask(client);
    } finally {
      client.disconnect();
    }
  }
}
