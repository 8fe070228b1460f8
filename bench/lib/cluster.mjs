// A private Redis Cluster for the benchmarks: three masters with a replica each on free loopback ports,
// made with `redis-cli --cluster create`, as test/support/redis-cluster.ts makes the tests' one (that one
// also kills masters; this one only has to run). Every process is this script's child, ended by its PID.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { redisAnswers } from '../../dist/redis/local-redis.js';
import { freePort, sleep } from './harness.mjs';

const run = promisify(execFile);

export async function startCluster({ masters = 3, replicasPerMaster = 1 } = {}) {
  const nodes = [];
  const stop = async () => {
    for (const n of nodes) {
      if (n.child.exitCode === null && n.child.signalCode === null) {
        const exited = new Promise((r) => n.child.once('exit', r));
        n.child.kill('SIGKILL');
        await exited;
      }
      rmSync(n.dir, { recursive: true, force: true });
    }
  };
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'strata-bench-cluster-'));
      // As the bench's standalone server runs: no persistence, so both topologies do the same disk work.
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ];
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf');
      args.push('--cluster-port', String(await freePort()), '--cluster-node-timeout', '5000');
      const child = spawn('redis-server', args, { stdio: 'ignore' });
      nodes.push({ port, dir, child });
      while (!(await redisAnswers('127.0.0.1', port, 300))) await sleep(20);
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicasPerMaster),
      '--cluster-yes',
    ]);
    for (const n of nodes) {
      const client = new Redis({ host: '127.0.0.1', port: n.port, maxRetriesPerRequest: 1 });
      try {
        while (!/cluster_state:ok/.test(await client.cluster('INFO'))) await sleep(100);
      } finally {
        client.disconnect();
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    pids: nodes.map((n) => n.child.pid),
    stop,
  };
}
