import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TaskQueues } from '../../src/tasks/task-queues.service.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT, TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';

/**
 * QUEUE_MIN_REPLICAS_ACK on a real master and replica: an enqueue answers 202 only once a replica has
 * the task (WAIT), 503 with Retry-After while none confirms it, and a retry with the same
 * Idempotency-Key is then safe. /health says when too few replicas are attached.
 */
describe('QUEUE_MIN_REPLICAS_ACK=1', () => {
  let master: TestRedis;
  let replica: TestRedis;
  let app: NestFastifyApplication;
  let client: TaskClient;
  const replicaArgs = () => [
    '--replicaof',
    '127.0.0.1',
    String(master.port),
    '--repl-diskless-sync-delay',
    '0',
  ];
  const inSync = () =>
    eventually(
      async () => {
        const info = await replica.withClient((c) => c.info('replication'));
        expect(info).toContain('master_link_status:up');
      },
      10_000,
      50,
    );

  const narrativeTasks = async () => {
    const counts = await app.get(TaskQueues).get('narrative').getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    master = await TestRedis.start({ extraArgs: ['--repl-diskless-sync-delay', '0'] });
    replica = await TestRedis.start({ extraArgs: replicaArgs() });
    await inSync();
    app = await startTestApp(
      testConfig(master.url, { QUEUE_MIN_REPLICAS_ACK: '1', QUEUE_REPLICAS_ACK_TIMEOUT_MS: '200' }),
      TASK_MODULES,
    );
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await replica?.stop();
    await master?.stop();
  });

  it('answers 202 once the replica has the task, and the replica holds it', async () => {
    const res = await client.post('narrative', { input: NARRATIVE_INPUT });
    expect(res.status).toBe(202);
    const jobId = res.body.id.split('.')[1];
    const onReplica = await replica.withClient((c) => c.keys(`strata:narrative:${jobId}`));
    expect(onReplica).toEqual([`strata:narrative:${jobId}`]);
    const health = await client.http.get('/health');
    expect(health.status).toBe(200);
  });

  it('answers 503 with Retry-After while no replica confirms; the same Idempotency-Key then makes one task', async () => {
    await replica.kill();
    await eventually(
      async () => {
        const health = await client.http.get('/health');
        expect(health.status).toBe(503);
        expect(health.body.details['redis-queue'].message).toContain('0 replica(s) attached');
      },
      5_000,
      50,
    );
    const tasksBefore = await narrativeTasks();
    const key = { 'idempotency-key': 'replica-ack-retry-1' };
    const started = Date.now();
    const refused = await client.post('narrative', { input: NARRATIVE_INPUT }, 'alice', key);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.message).toContain('confirmed by 0 of the 1 replicas');
    // Bounded by QUEUE_REPLICAS_ACK_TIMEOUT_MS, not by the replica's return.
    expect(Date.now() - started).toBeLessThan(750);

    await replica.restart(replicaArgs());
    await inSync();
    const retried = await client.post('narrative', { input: NARRATIVE_INPUT }, 'alice', key);
    expect(retried.status).toBe(202);
    const again = await client.post('narrative', { input: NARRATIVE_INPUT }, 'alice', key);
    expect(again.body.id).toBe(retried.body.id);
    // The task the 503 answered for is the one the retries found: one task for the key, and it runs.
    await client.waitFor(retried.body.id, 'completed');
    expect((await narrativeTasks()) - tasksBefore).toBe(1);
    expect((await client.http.get('/health')).status).toBe(200);
  });
});
