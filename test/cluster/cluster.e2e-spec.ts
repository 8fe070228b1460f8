import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { eventually } from '../support/eventually.js';
import { TestRedisCluster } from '../support/redis-cluster.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp } from '../support/test-app.js';
import {
  bearer,
  TEST_API_KEYS,
  TEST_KEYS,
  TEST_POSTGRES_URL as POSTGRES,
  testConfig,
} from '../support/test-env.js';
import { EXAMPLE_STEPS, PipelineClient } from '../pipelines/pipeline-kit.js';
import { NARRATIVE_INPUT, TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';

/** One client per round for the limiter, so the second round does not start on a spent budget. */
const ROUNDS = ['before', 'after'] as const;
type Round = (typeof ROUNDS)[number];
const LIMITED = (round: Round) => `limited-${round}`;
const limitedKey = (round: Round) => `test-${LIMITED(round)}-key-0123456789abcdef`;
const API_KEYS = [TEST_API_KEYS, ...ROUNDS.map((r) => `${LIMITED(r)}:client:${limitedKey(r)}`)].join(',');
const RATE_LIMITS = ['default=1000000/60s', ...ROUNDS.map((r) => `${LIMITED(r)}:default=4/60s`)].join(',');
/** The five queues' hash tags: four task types and the flow queue pipeline steps share. */
const QUEUE_TAGS = ['narrative', 'job-search', 'pdf', 'email', 'flows'];

// Two instances must share one database, which PGlite (one process, one owner) cannot be; without the
// PostgreSQL `.ci/run` provides, the second instance (and the test across them) is left out.
describe('Redis Cluster: every flow, then again after a master is SIGKILLed', () => {
  const schema = `strata_cluster_${randomBytes(4).toString('hex')}`;
  let cluster: TestRedisCluster;
  let sink: SmtpSink;
  let one: NestFastifyApplication;
  let two: NestFastifyApplication | undefined;
  let tasks: TaskClient;
  let pipelines: PipelineClient;

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    cluster = await TestRedisCluster.start();
    sink = await SmtpSink.start();
    // Email goes over SMTP, so the send ledger's scripts run on the Cluster.
    const env: Record<string, string> = {
      API_KEYS,
      RATE_LIMITS,
      RATE_LIMIT_SYNC_MS: '100',
      SMTP_URL: sink.url,
      SMTP_MAX_PER_MINUTE: '0',
    };
    if (POSTGRES) {
      await admin(`CREATE SCHEMA ${schema}`);
      const url = new URL(POSTGRES);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env.DATABASE_URL = url.toString();
    }
    one = await startTestApp(testConfig(cluster.url, env), TASK_MODULES);
    if (POSTGRES) two = await startTestApp(testConfig(cluster.url, { ...env, APP_ROLE: 'api' }));
    tasks = new TaskClient(one);
    pipelines = new PipelineClient(one);
  }, 60_000);
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await cluster?.stop();
    await sink?.close();
    if (POSTGRES) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const maskName = async (app: NestFastifyApplication, slug: string) => {
    const res = await fetch(`${await baseOf(app)}/v1/taxonomy/masks/${slug}`, {
      headers: bearer(TEST_KEYS.alice),
    });
    if (res.status !== 200) throw new Error(`GET mask ${slug}: ${res.status}`);
    return (await res.json()).name as string;
  };

  async function taxonomyAcrossInstances(round: Round): Promise<void> {
    if (!two) return;
    expect(await maskName(one, 'the-mentor')).toBe(await maskName(two, 'the-mentor'));
    const name = `The Mentor, ${round}`;
    const res = await fetch(`${await baseOf(one)}/v1/taxonomy/masks/the-mentor`, {
      method: 'PUT',
      headers: { ...bearer(TEST_KEYS.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(200);
    // The other instance hears of the write over pub/sub on the Cluster and drops what it cached.
    await eventually(async () => expect(await maskName(two!, 'the-mentor')).toBe(name), 2_000, 20);
    expect(await maskName(one, 'the-mentor')).toBe(name);
  }

  async function everyTaskType(): Promise<void> {
    const narrative = await tasks.create('narrative', NARRATIVE_INPUT);
    const search = await tasks.create('job-search', { query: 'python developer', limit: 3 });
    expect((await tasks.waitFor(narrative, 'completed')).result.text).toContain('Ada Okafor');
    expect((await tasks.waitFor(search, 'completed')).result.results).toHaveLength(3);
    const pdf = await tasks.create('pdf', { title: 'Ada', fromTask: narrative });
    expect((await tasks.waitFor(pdf, 'completed')).result.artifact.pages).toBeGreaterThan(0);
    const email = await tasks.create('email', {
      to: ['bob@example.com'],
      subject: 'Your narrative',
      text: 'Attached.',
      attachTask: pdf,
    });
    const sent = await tasks.waitFor(email, 'completed');
    expect(sent.result.accepted).toEqual(['bob@example.com']);
    expect(sink.received.filter((m) => m.parsed.messageId === sent.result.messageId)).toHaveLength(1);
    const ledger = await cluster.withClient((c) => c.get(`strata:tasks:email-sent:${email}`));
    expect(JSON.parse(ledger!)).toMatchObject({ state: 'sent', messageId: sent.result.messageId });
    // The index (a script over two sorted sets in one slot) lists them for their owner.
    const listed = await tasks.http.get('/v1/tasks?limit=100').set(bearer(TEST_KEYS.alice));
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining([narrative, search, pdf, email]));
    // Events (SSE) from the queue's stream on its master: progress, then completion, well before the
    // heartbeat (15 s) would have noticed the end without them.
    const streamed = await tasks.create('narrative', NARRATIVE_INPUT, 'alice', { delayMs: 300 });
    const opened = Date.now();
    const res = await fetch(`${await baseOf(one)}/v1/tasks/${streamed}/events`, {
      headers: bearer(TEST_KEYS.alice),
    });
    const events = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map(([, event]) => event);
    expect(Date.now() - opened).toBeLessThan(5_000);
    expect(events[0]).toBe('state');
    expect(events).toContain('progress');
    expect(events.at(-1)).toBe('completed');
    // Idempotency: a retry with the same key gets the same task.
    const idem = { 'idempotency-key': `cluster-${randomBytes(4).toString('hex')}` };
    const first = await tasks.post('job-search', { input: { query: 'nurse' } }, 'alice', idem);
    const again = await tasks.post('job-search', { input: { query: 'nurse' } }, 'alice', idem);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.id).toBe(first.body.id);
  }

  async function schedule(round: Round): Promise<void> {
    const name = `tick-${round}`;
    const put = await tasks.http
      .put(`/v1/schedules/${name}`)
      .set(bearer(TEST_KEYS.admin))
      .send({ type: 'job-search', input: { query: `scheduled ${round}` }, every: 1_000 });
    expect(put.status).toBe(200);
    await eventually(
      async () => {
        const runs = await tasks.http
          .get('/v1/tasks?type=job-search&state=completed&limit=100')
          .set(bearer(TEST_KEYS.admin));
        expect(runs.body.items.some((t: { id: string }) => t.id.includes(name))).toBe(true);
      },
      10_000,
      100,
    );
    const list = await tasks.http.get('/v1/schedules').set(bearer(TEST_KEYS.admin));
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name })]));
    expect((await tasks.http.delete(`/v1/schedules/${name}`).set(bearer(TEST_KEYS.admin))).status).toBe(204);
  }

  async function pipelineRuns(): Promise<void> {
    // Production: one flow whose four steps (four task types) share the flow queues' slot.
    const production = await pipelines.create('production', EXAMPLE_STEPS);
    const done = await pipelines.waitFor(production.id, 'completed', 30_000);
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    // A step is a task like any other: readable by its id from the flow queue.
    const mail = done.steps.find((s: { id: string }) => s.id === 'mail');
    expect((await tasks.get(mail.taskId)).body.state).toBe('completed');
    // Development: created idle, then every step run at once.
    const dev = await pipelines.create('development', EXAMPLE_STEPS.slice(0, 2));
    const started = await pipelines.act(dev.id, 'run');
    expect(started.status).toBe(202);
    // A step's events come from its flow queue's stream: the end is seen at once, not at a heartbeat.
    const story = started.body.steps.find((s: { id: string }) => s.id === 'story');
    const opened = Date.now();
    const stream = await fetch(`${await baseOf(one)}/v1/tasks/${story.taskId}/events`, {
      headers: bearer(TEST_KEYS.alice),
    });
    expect(await stream.text()).toMatch(/event: completed\n/);
    expect(Date.now() - opened).toBeLessThan(5_000);
    const devDone = await pipelines.waitFor(dev.id, 'completed', 30_000);
    expect(devDone.steps).toHaveLength(2);
  }

  async function rateLimit(round: Round): Promise<void> {
    const base = await baseOf(one);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/v1/taxonomy/masks`, { headers: bearer(limitedKey(round)) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // Counted in Redis (all the limiter's keys in one slot), not in the in-memory fallback.
    const key = `strata:{ratelimit}:default:${LIMITED(round)}`;
    expect(await cluster.withClient((c) => c.exists(key))).toBe(1);
  }

  async function flush(): Promise<void> {
    for (const slug of ['the-mentor', 'the-builder', 'the-scholar'])
      await maskName(one, slug).catch(() => '');
    await tasks.http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.alice));
    const before = [...(await cluster.keysByMaster('strata:cache:*')).values()].flat();
    expect(before.length).toBeGreaterThan(0);
    const res = await tasks.http.post('/v1/admin/cache/flush').set(bearer(TEST_KEYS.admin)).send({});
    expect(res.status).toBe(204);
    // Every master was scanned: no cache key is left anywhere, and every queue still has its keys.
    expect([...(await cluster.keysByMaster('strata:cache:*')).values()].flat()).toEqual([]);
    const queueKeys = [...(await cluster.keysByMaster('strata:{*')).values()].flat();
    for (const tag of QUEUE_TAGS) expect(queueKeys.some((k) => k.startsWith(`strata:{${tag}}:`))).toBe(true);
  }

  /** Bull Board lists every queue, /metrics each master's memory and the queue depths, /health the cluster. */
  async function operations(): Promise<void> {
    const basic = `Basic ${Buffer.from(`root:${TEST_KEYS.admin}`).toString('base64')}`;
    const board = await tasks.http.get('/admin/queues/api/queues').set('authorization', basic);
    expect(board.status).toBe(200);
    const types = ['email', 'job-search', 'narrative', 'pdf'];
    expect(board.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(
      [...types, ...types.map((t) => `flows:${t}`)].sort(),
    );
    const metrics = (await tasks.http.get('/metrics')).text;
    const masters = await cluster.masterPorts();
    for (const port of masters) {
      expect(metrics).toMatch(
        new RegExp(`strata_redis_used_memory_bytes\\{role="queue",node="127\\.0\\.0\\.1:${port}"\\} [1-9]`),
      );
    }
    for (const type of types)
      expect(metrics).toContain(`strata_queue_jobs{queue="${type}",state="completed"}`);
    const health = await tasks.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details['redis-queue']).toMatchObject({ status: 'up', clusterState: 'ok' });
  }

  async function everyFlow(round: Round): Promise<void> {
    await taxonomyAcrossInstances(round);
    await everyTaskType();
    await schedule(round);
    await pipelineRuns();
    await rateLimit(round);
    await flush();
    await operations();
  }

  it('passes every flow; the queues are spread over more than one master', async () => {
    await everyFlow('before');
    const byMaster = await cluster.keysByMaster('strata:{*');
    const mastersWithQueues = [...byMaster.values()].filter((keys) =>
      keys.some((k) => QUEUE_TAGS.some((tag) => k.startsWith(`strata:{${tag}}:`))),
    );
    expect(mastersWithQueues.length).toBeGreaterThan(1);
    // And no queue is split: all of a queue's keys are on one master.
    for (const tag of QUEUE_TAGS) {
      const holders = [...byMaster.values()].filter((keys) =>
        keys.some((k) => k.startsWith(`strata:{${tag}}:`)),
      );
      expect(holders).toHaveLength(1);
    }
  });

  it('after a master is SIGKILLed and its replica promoted, every flow passes again without a restart', async () => {
    const victim = await cluster.withClient(async (c) =>
      cluster.masterOfSlot(Number(await c.cluster('KEYSLOT', 'strata:{narrative}:narrative:id'))),
    );
    // Cached reads all through the failover: the memory tier answers whatever Redis does.
    let reading = true;
    const readStatuses = new Map<number, number>();
    const reads = (async () => {
      const base = await baseOf(one);
      while (reading) {
        const status = await fetch(`${base}/v1/taxonomy/masks`, { headers: bearer(TEST_KEYS.alice) }).then(
          async (res) => (await res.arrayBuffer(), res.status),
          () => 0,
        );
        readStatuses.set(status, (readStatuses.get(status) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const killed = await cluster.killMaster(victim);
    const { killedAt } = killed;
    const promotion = cluster.waitForPromotion(killed);
    // Enqueues to the queue whose master died: 503 with Retry-After (never a 500) until its replica has
    // taken over and the client has followed the move; then 202, and a worker runs the task.
    const statuses = new Map<number, number>();
    let accepted: string | undefined;
    while (!accepted) {
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      const res = await tasks.post('narrative', { input: NARRATIVE_INPUT });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 202) accepted = res.body.id as string;
      else {
        expect(res.status).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const acceptedAt = Date.now();
    await tasks.waitFor(accepted, 'completed', 'alice', 30_000);
    const resumedAt = Date.now();
    const { promoted, ms } = await promotion;
    expect(promoted).not.toBe(victim);
    reading = false;
    await reads;
    expect([...readStatuses.keys()]).toEqual([200]);
    process.stdout.write(
      `cluster failover: replica promoted ${ms} ms after the SIGKILL; enqueues to its queue answered 202 ` +
        `again after ${acceptedAt - killedAt} ms (${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}); ` +
        `the task completed ${resumedAt - killedAt} ms after the SIGKILL; cached reads: ` +
        `${[...readStatuses].map(([s, n]) => `${n} × ${s}`).join(', ')}\n`,
    );
    await everyFlow('after');
  });
});

async function baseOf(app: NestFastifyApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
