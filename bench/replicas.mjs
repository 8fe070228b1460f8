// npm run bench:replicas: what QUEUE_MIN_REPLICAS_ACK=1 costs an enqueue. One master with one replica on
// loopback (both AOF everysec and noeviction, as a queue Redis runs); two api-role services on that same
// master, one with QUEUE_MIN_REPLICAS_ACK=0 and one with =1 (WAIT 1 after each enqueue's writes); POST of
// the bench's no-op task (bench/lib/queue-api.mjs) under autocannon and wrk, -c 50. Each round measures
// every target once, starting one further on each round; a figure is the median of the rounds.
// See docs/redis-topologies.md#acknowledged-means-durable-queue_min_replicas_ack.
import { cannon, median, sleep, startEnqueueService, startRedis, wrk } from './lib/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY}`;
const TOOLS = { autocannon: cannon, wrk };

// As a queue Redis runs (AOF, noeviction); a replica's sync starts at once.
const NODE_ARGS = [
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--maxmemory-policy',
  'noeviction',
  '--repl-diskless-sync-delay',
  '0',
];
const master = await startRedis(NODE_ARGS);
const replica = await startRedis([...NODE_ARGS, '--replicaof', '127.0.0.1', new URL(master.url).port]);
await sleep(500);
const url = master.url;
const request = {
  method: 'POST',
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify({ input: {} }),
};
const targets = [];
for (const acks of ['0', '1']) {
  const service = await startEnqueueService(url, API_KEYS, { QUEUE_MIN_REPLICAS_ACK: acks });
  for (const [tool, run] of Object.entries(TOOLS)) targets.push({ acks, tool, run, service, runs: [] });
}
for (const t of targets) await t.run(t.service.url, { ...request, duration: 2 }); // warm-up
for (let round = 1; round <= RUNS; round++) {
  const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
  for (const t of order) {
    const r = await t.run(t.service.url, { ...request, duration: DURATION });
    t.runs.push(r);
    console.error(
      `round ${round} N=${t.acks} ${t.tool}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, errors ${r.errors}`,
    );
  }
}
for (const service of new Set(targets.map((t) => t.service))) await service.stop();
await replica.stop();
await master.stop();

const lines = [
  `| tool | N=0 req/s | N=1 req/s | N=1 / N=0 (median of ${RUNS}) | per round | p99 ms (N=0 / N=1) | errors |`,
  '|---|---|---|---|---|---|---|',
];
for (const tool of Object.keys(TOOLS)) {
  const [none, one] = ['0', '1'].map((acks) => targets.find((t) => t.acks === acks && t.tool === tool));
  const rps = (t) => median(t.runs.map((r) => r.rps));
  const p99 = (t) => median(t.runs.map((r) => r.p99));
  const rounds = one.runs.map((r, i) => `${((r.rps / none.runs[i].rps) * 100).toFixed(1)}%`).join(', ');
  const errors = [...none.runs, ...one.runs].reduce((sum, r) => sum + r.errors, 0);
  lines.push(
    `| ${tool} | ${Math.round(rps(none))} | ${Math.round(rps(one))} | ${((rps(one) / rps(none)) * 100).toFixed(1)}% | ` +
      `${rounds} | ${p99(none)} / ${p99(one)} | ${errors} |`,
  );
}
console.log(lines.join('\n'));
