import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { eventually } from '../support/eventually.js';
import type { TestRedisCluster } from '../support/redis-cluster.js';
import type { SmtpSink } from '../support/smtp-sink.js';
import { bearer, TEST_API_KEYS, TEST_KEYS } from '../support/test-env.js';
import { EXAMPLE_STEPS, PipelineClient } from '../pipelines/pipeline-kit.js';
import { NARRATIVE_INPUT, TaskClient } from '../tasks/task-test-kit.js';

/** One client per round for the limiter, so the second round does not start on a spent budget. */
export const ROUNDS = ['before', 'after'] as const;
export type Round = (typeof ROUNDS)[number];
const LIMITED = (round: Round) => `limited-${round}`;
const limitedKey = (round: Round) => `test-${LIMITED(round)}-key-0123456789abcdef`;
export const API_KEYS = [TEST_API_KEYS, ...ROUNDS.map((r) => `${LIMITED(r)}:client:${limitedKey(r)}`)].join(
  ',',
);
export const RATE_LIMITS = ['default=1000000/60s', ...ROUNDS.map((r) => `${LIMITED(r)}:default=4/60s`)].join(
  ',',
);
/** The five queues' hash tags: four task types and the flow queue pipeline steps share. */
export const QUEUE_TAGS = ['narrative', 'job-search', 'pdf', 'email', 'flows'];

export async function baseOf(app: NestFastifyApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/**
 * The main flows of the service, run against apps on a Redis Cluster: each asserts through the API and
 * then on the Cluster itself (where the keys are), so a fallback to memory cannot pass for success.
 * `two`, a second API instance on the same database, exists only with PostgreSQL.
 */
export class ClusterFlows {
  readonly tasks: TaskClient;
  readonly pipelines: PipelineClient;

  constructor(
    private readonly cluster: TestRedisCluster,
    private readonly sink: SmtpSink,
    private readonly one: NestFastifyApplication,
    private readonly two?: NestFastifyApplication,
  ) {
    this.tasks = new TaskClient(one);
    this.pipelines = new PipelineClient(one);
  }

  async maskName(app: NestFastifyApplication, slug: string): Promise<string> {
    const res = await fetch(`${await baseOf(app)}/v1/taxonomy/masks/${slug}`, {
      headers: bearer(TEST_KEYS.alice),
    });
    if (res.status !== 200) throw new Error(`GET mask ${slug}: ${res.status}`);
    return (await res.json()).name as string;
  }

  async taxonomyAcrossInstances(round: Round): Promise<void> {
    if (!this.two) return;
    expect(await this.maskName(this.one, 'the-mentor')).toBe(await this.maskName(this.two, 'the-mentor'));
    const name = `The Mentor, ${round}`;
    const res = await fetch(`${await baseOf(this.one)}/v1/taxonomy/masks/the-mentor`, {
      method: 'PUT',
      headers: { ...bearer(TEST_KEYS.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(200);
    // The other instance hears of the write over pub/sub on the Cluster and drops what it cached.
    await eventually(async () => expect(await this.maskName(this.two!, 'the-mentor')).toBe(name), 2_000, 20);
    expect(await this.maskName(this.one, 'the-mentor')).toBe(name);
  }

  async everyTaskType(): Promise<void> {
    const narrative = await this.tasks.create('narrative', NARRATIVE_INPUT);
    const search = await this.tasks.create('job-search', { query: 'python developer', limit: 3 });
    expect((await this.tasks.waitFor(narrative, 'completed')).result.text).toContain('Ada Okafor');
    expect((await this.tasks.waitFor(search, 'completed')).result.results).toHaveLength(3);
    const pdf = await this.tasks.create('pdf', { title: 'Ada', fromTask: narrative });
    expect((await this.tasks.waitFor(pdf, 'completed')).result.artifact.pages).toBeGreaterThan(0);
    const email = await this.tasks.create('email', {
      to: ['bob@example.com'],
      subject: 'Your narrative',
      text: 'Attached.',
      attachTask: pdf,
    });
    const sent = await this.tasks.waitFor(email, 'completed');
    expect(sent.result.accepted).toEqual(['bob@example.com']);
    expect(this.sink.received.filter((m) => m.parsed.messageId === sent.result.messageId)).toHaveLength(1);
    const ledger = await this.cluster.withClient((c) => c.get(`strata:tasks:email-sent:${email}`));
    expect(JSON.parse(ledger!)).toMatchObject({ state: 'sent', messageId: sent.result.messageId });
    // The index (a script over two sorted sets in one slot) lists them for their owner.
    const listed = await this.tasks.http.get('/v1/tasks?limit=100').set(bearer(TEST_KEYS.alice));
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining([narrative, search, pdf, email]));
    // Events (SSE) from the queue's stream on its master: progress, then completion, well before the
    // heartbeat (15 s) would have noticed the end without them.
    const streamed = await this.tasks.create('narrative', NARRATIVE_INPUT, 'alice', { delayMs: 300 });
    const opened = Date.now();
    const res = await fetch(`${await baseOf(this.one)}/v1/tasks/${streamed}/events`, {
      headers: bearer(TEST_KEYS.alice),
    });
    const events = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map(([, event]) => event);
    expect(Date.now() - opened).toBeLessThan(5_000);
    expect(events[0]).toBe('state');
    expect(events).toContain('progress');
    expect(events.at(-1)).toBe('completed');
    // Idempotency: a retry with the same key gets the same task.
    const idem = { 'idempotency-key': `cluster-${randomBytes(4).toString('hex')}` };
    const first = await this.tasks.post('job-search', { input: { query: 'nurse' } }, 'alice', idem);
    const again = await this.tasks.post('job-search', { input: { query: 'nurse' } }, 'alice', idem);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.id).toBe(first.body.id);
  }

  async schedule(round: Round): Promise<void> {
    const name = `tick-${round}`;
    const put = await this.tasks.http
      .put(`/v1/schedules/${name}`)
      .set(bearer(TEST_KEYS.admin))
      .send({ type: 'job-search', input: { query: `scheduled ${round}` }, every: 1_000 });
    expect(put.status).toBe(200);
    await eventually(
      async () => {
        const runs = await this.tasks.http
          .get('/v1/tasks?type=job-search&state=completed&limit=100')
          .set(bearer(TEST_KEYS.admin));
        expect(runs.body.items.some((t: { id: string }) => t.id.includes(name))).toBe(true);
      },
      10_000,
      100,
    );
    const list = await this.tasks.http.get('/v1/schedules').set(bearer(TEST_KEYS.admin));
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name })]));
    expect((await this.tasks.http.delete(`/v1/schedules/${name}`).set(bearer(TEST_KEYS.admin))).status).toBe(
      204,
    );
  }

  async pipelineRuns(): Promise<void> {
    // Production: one flow whose four steps (four task types) share the flow queues' slot.
    const production = await this.pipelines.create('production', EXAMPLE_STEPS);
    const done = await this.pipelines.waitFor(production.id, 'completed', 30_000);
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    // A step is a task like any other: readable by its id from the flow queue.
    const mail = done.steps.find((s: { id: string }) => s.id === 'mail');
    expect((await this.tasks.get(mail.taskId)).body.state).toBe('completed');
    // Development: created idle, then every step run at once.
    const dev = await this.pipelines.create('development', EXAMPLE_STEPS.slice(0, 2));
    const started = await this.pipelines.act(dev.id, 'run');
    expect(started.status).toBe(202);
    // A step's events come from its flow queue's stream: the end is seen at once, not at a heartbeat.
    const story = started.body.steps.find((s: { id: string }) => s.id === 'story');
    const opened = Date.now();
    const stream = await fetch(`${await baseOf(this.one)}/v1/tasks/${story.taskId}/events`, {
      headers: bearer(TEST_KEYS.alice),
    });
    expect(await stream.text()).toMatch(/event: completed\n/);
    expect(Date.now() - opened).toBeLessThan(5_000);
    const devDone = await this.pipelines.waitFor(dev.id, 'completed', 30_000);
    expect(devDone.steps).toHaveLength(2);
  }

  async rateLimit(round: Round): Promise<void> {
    const base = await baseOf(this.one);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/v1/taxonomy/masks`, { headers: bearer(limitedKey(round)) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // Counted in Redis (all the limiter's keys in one slot), not in the in-memory fallback.
    const key = `strata:{ratelimit}:default:${LIMITED(round)}`;
    expect(await this.cluster.withClient((c) => c.exists(key))).toBe(1);
  }

  async flush(): Promise<void> {
    for (const slug of ['the-mentor', 'the-builder', 'the-scholar'])
      await this.maskName(this.one, slug).catch(() => '');
    await this.tasks.http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.alice));
    const before = [...(await this.cluster.keysByMaster('strata:cache:*')).values()].flat();
    expect(before.length).toBeGreaterThan(0);
    const res = await this.tasks.http.post('/v1/admin/cache/flush').set(bearer(TEST_KEYS.admin)).send({});
    expect(res.status).toBe(204);
    // Every master was scanned: no cache key is left anywhere, and every queue still has its keys.
    expect([...(await this.cluster.keysByMaster('strata:cache:*')).values()].flat()).toEqual([]);
    const queueKeys = [...(await this.cluster.keysByMaster('strata:{*')).values()].flat();
    for (const tag of QUEUE_TAGS) expect(queueKeys.some((k) => k.startsWith(`strata:{${tag}}:`))).toBe(true);
  }

  /** Bull Board lists every queue, /metrics each master's memory and the queue depths, /health the cluster. */
  async operations(): Promise<void> {
    const basic = `Basic ${Buffer.from(`root:${TEST_KEYS.admin}`).toString('base64')}`;
    const board = await this.tasks.http.get('/admin/queues/api/queues').set('authorization', basic);
    expect(board.status).toBe(200);
    const types = ['email', 'job-search', 'narrative', 'pdf'];
    expect(board.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(
      [...types, ...types.map((t) => `flows:${t}`)].sort(),
    );
    const metrics = (await this.tasks.http.get('/metrics')).text;
    const masters = await this.cluster.masterPorts();
    for (const port of masters) {
      expect(metrics).toMatch(
        new RegExp(`strata_redis_used_memory_bytes\\{role="queue",node="127\\.0\\.0\\.1:${port}"\\} [1-9]`),
      );
    }
    for (const type of types)
      expect(metrics).toContain(`strata_queue_jobs{queue="${type}",state="completed"}`);
    const health = await this.tasks.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details['redis-queue']).toMatchObject({ status: 'up', clusterState: 'ok' });
  }

  async everyFlow(round: Round): Promise<void> {
    await this.taxonomyAcrossInstances(round);
    await this.everyTaskType();
    await this.schedule(round);
    await this.pipelineRuns();
    await this.rateLimit(round);
    await this.flush();
    await this.operations();
  }
}
