// A private Redis Cluster for the benchmarks: three masters with a replica each on free loopback ports,
// made with `redis-cli --cluster create`, as test/support/redis-cluster.ts makes the tests' one (that one
// also kills masters; this one only has to run). Each node is the harness's startRedis with the cluster's
// flags: a child of this script, ended by its PID.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, sleep, startRedis } from './harness.mjs';

const run = promisify(execFile);

export async function startCluster({ masters = 3, replicasPerMaster = 1 } = {}) {
  const nodes = [];
  const stop = async () => {
    for (const n of nodes) await n.stop();
  };
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      // As the bench's standalone server runs (no persistence, so both topologies do the same disk
      // work), plus the cluster's own flags.
      const clusterPort = await freePort();
      nodes.push(
        await startRedis([
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-port',
          String(clusterPort),
          '--cluster-node-timeout',
          '5000',
        ]),
      );
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
    pids: nodes.map((n) => n.pid),
    stop,
  };
}
