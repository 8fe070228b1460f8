import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { probeLog, probeTaskModule } from './probe-task.js';
import { NARRATIVE_INPUT, TASK_MODULES, TaskClient } from './task-test-kit.js';

describe('the tasks API', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let client: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const config = testConfig(redis.url, { TASK_BACKOFF_MS: '200', TASK_EVENTS_HEARTBEAT_MS: '200' });
    app = await startTestApp(config, [...TASK_MODULES, probeTaskModule()]);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  describe('validation', () => {
    it('names every bad and every unknown field, at any depth', async () => {
      const res = await client.post('narrative', {
        input: {
          ...NARRATIVE_INPUT,
          subject: { ...NARRATIVE_INPUT.subject, name: '', nickname: 'x' },
          colour: 'red',
        },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the request is invalid',
      });
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['input.subject.name']);
      const unknown = await client.post('narrative', {
        input: { ...NARRATIVE_INPUT, subject: { ...NARRATIVE_INPUT.subject, nickname: 'x' }, colour: 'red' },
      });
      expect(unknown.body.details).toEqual([
        { field: 'input.subject.nickname', message: 'unknown field' },
        { field: 'input.colour', message: 'unknown field' },
      ]);
    });

    it('lets clients set priority, delayMs and runAt only', async () => {
      const res = await client.post('job-search', {
        input: { query: 'x' },
        options: { attempts: 10, jobId: 'mine' },
        backoff: 1,
      });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'backoff',
        'options.attempts',
        'options.jobId',
      ]);
      expect(
        (await client.post('job-search', { input: { query: 'x' }, options: { priority: 0 } })).status,
      ).toBe(400);
    });

    it('answers 404 for an unknown type and a header with a line break in an email subject is 400', async () => {
      expect((await client.post('teleport', { input: {} })).status).toBe(404);
      const res = await client.post('email', {
        input: { to: ['a@example.com'], subject: 'hi\r\nBcc: x@evil.test', text: 't' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'input.subject', message: expect.stringMatching(/line breaks/) },
      ]);
    });
  });

  describe('ownership', () => {
    it("hides a client's task from other clients (404, never 403), not from admins", async () => {
      const id = await client.create('probe', { mode: 'ok' });
      await client.waitFor(id, 'completed');
      for (const res of [
        await client.get(id, 'bob'),
        await client.http.delete(`/v1/tasks/${id}`).set(bearer(TEST_KEYS.bob)),
        await client.http.get(`/v1/tasks/${id}/events`).set(bearer(TEST_KEYS.bob)),
        await client.http.post(`/v1/tasks/${id}/retry`).set(bearer(TEST_KEYS.bob)),
      ]) {
        expect(res.status).toBe(404);
      }
      expect((await client.get(id, 'admin')).status).toBe(200);
      expect((await client.get('probe.AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      expect((await client.get('nonsense')).status).toBe(404);
    });

    it("lists only the caller's tasks, newest first, by type and state, with a cursor", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await client.create('probe', { mode: 'ok' }, 'bob'));
      await client.waitFor(ids[4], 'completed', 'bob');
      const page1 = await client.http.get('/v1/tasks?type=probe&limit=3').set(bearer(TEST_KEYS.bob));
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((t: { id: string }) => t.id)).toEqual(ids.slice(2).reverse());
      const page2 = await client.http
        .get(`/v1/tasks?type=probe&limit=3&cursor=${page1.body.next}`)
        .set(bearer(TEST_KEYS.bob));
      expect(page2.body.items.map((t: { id: string }) => t.id)).toEqual(ids.slice(0, 2).reverse());
      const alice = await client.http.get('/v1/tasks?limit=100').set(bearer(TEST_KEYS.alice));
      expect(alice.body.items.some((t: { id: string }) => ids.includes(t.id))).toBe(false);
      const admin = await client.http.get('/v1/tasks?limit=100&state=completed').set(bearer(TEST_KEYS.admin));
      expect(admin.body.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(ids));
      expect((await client.http.get('/v1/tasks?limit=101').set(bearer(TEST_KEYS.bob))).status).toBe(400);
    });
  });

  describe('idempotency', () => {
    it('returns the same task for a retried POST and 409 for the same key with another body', async () => {
      const headers = { 'idempotency-key': 'order-42' };
      const first = await client.post('probe', { input: { mode: 'ok', tag: 'idem' } }, 'alice', headers);
      const again = await client.post('probe', { input: { tag: 'idem', mode: 'ok' } }, 'alice', headers);
      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      await client.waitFor(first.body.id, 'completed');
      expect(probeLog.order.filter((t) => t === 'idem')).toHaveLength(1);
      const other = await client.post('probe', { input: { mode: 'ok', tag: 'other' } }, 'alice', headers);
      expect(other.status).toBe(409);
      // Keys are per client: bob's "order-42" is his own.
      const bob = await client.post('probe', { input: { mode: 'ok', tag: 'other' } }, 'bob', headers);
      expect(bob.status).toBe(202);
    });
  });

  describe('processing', () => {
    it('retries a failing task with exponential backoff, then completes', async () => {
      const id = await client.create('probe', { mode: 'flaky', failTimes: 2, tag: 'flaky' });
      const done = await client.waitFor(id, 'completed');
      expect(done.attemptsMade).toBe(3);
      const [a, b, c] = probeLog.attempts.get('flaky')!;
      expect(b - a).toBeGreaterThanOrEqual(190);
      expect(c - b).toBeGreaterThanOrEqual(390);
    });

    it('fails an unrecoverable task after one attempt, and a retry re-queues it', async () => {
      const id = await client.create('probe', { mode: 'fatal', tag: 'fatal' });
      const failed = await client.waitFor(id, 'failed');
      expect(failed).toMatchObject({ attemptsMade: 1, error: 'the probe cannot succeed' });
      expect(probeLog.attempts.get('fatal')).toHaveLength(1);
      const retried = await client.http.post(`/v1/tasks/${id}/retry`).set(bearer(TEST_KEYS.alice));
      expect(retried.status).toBe(202);
      await eventually(() => expect(probeLog.attempts.get('fatal')).toHaveLength(2), 5_000);
      await client.waitFor(id, 'failed');
      const done = await client.create('probe', { mode: 'ok' });
      await client.waitFor(done, 'completed');
      expect((await client.http.post(`/v1/tasks/${done}/retry`).set(bearer(TEST_KEYS.alice))).status).toBe(
        409,
      );
    });

    it('fails a narrative whose mask is not in the taxonomy without retrying', async () => {
      const id = await client.create('narrative', { ...NARRATIVE_INPUT, maskSlug: 'no-such-mask' });
      const failed = await client.waitFor(id, 'failed');
      expect(failed).toMatchObject({
        attemptsMade: 1,
        error: 'mask "no-such-mask" does not exist in the taxonomy',
      });
    });

    it('runs the most urgent priority first', async () => {
      await client.create('probe', { mode: 'slow', sleepMs: 400, tag: 'blocker' });
      await eventually(() => expect(probeLog.order).toContain('blocker'), 5_000);
      const ids = [];
      for (const [tag, priority] of [
        ['p10', 10],
        ['p1', 1],
        ['p5', 5],
      ] as const) {
        ids.push(await client.create('probe', { mode: 'ok', tag }, 'alice', { priority }));
      }
      for (const id of ids) await client.waitFor(id, 'completed');
      expect(probeLog.order.filter((t) => /^p\d+$/.test(t))).toEqual(['p1', 'p5', 'p10']);
    });

    it('runs a delayed task after its delay', async () => {
      const res = await client.post('probe', {
        input: { mode: 'ok', tag: 'later' },
        options: { delayMs: 700 },
      });
      expect(res.body.state).toBe('delayed');
      const posted = Date.now();
      expect((await client.get(res.body.id)).body.state).toBe('delayed');
      await client.waitFor(res.body.id, 'completed');
      expect(probeLog.attempts.get('later')![0] - posted).toBeGreaterThanOrEqual(600);
    });
  });

  describe('cancel', () => {
    it('removes a delayed task (204), which then reads as cancelled and cannot be cancelled again', async () => {
      const id = await client.create('probe', { mode: 'ok', tag: 'never' }, 'alice', { delayMs: 60_000 });
      expect((await client.http.delete(`/v1/tasks/${id}`).set(bearer(TEST_KEYS.alice))).status).toBe(204);
      expect((await client.get(id)).body).toMatchObject({ id, state: 'cancelled' });
      expect((await client.http.delete(`/v1/tasks/${id}`).set(bearer(TEST_KEYS.alice))).status).toBe(409);
    });

    it('asks an active task to stop (202); it ends cancelled, without retries', async () => {
      const id = await client.create('probe', { mode: 'slow', sleepMs: 20_000, tag: 'long' });
      await client.waitFor(id, 'active');
      expect((await client.http.delete(`/v1/tasks/${id}`).set(bearer(TEST_KEYS.alice))).status).toBe(202);
      const cancelled = await client.waitFor(id, 'cancelled', 'alice', 5_000);
      expect(cancelled.attemptsMade).toBe(1);
    });
  });

  describe('events', () => {
    it('streams progress, then completion, then ends', async () => {
      const id = await client.create('probe', { mode: 'progress', sleepMs: 150 }, 'alice', { delayMs: 300 });
      const res = await fetch(`${await app.getUrl()}/v1/tasks/${id}/events`, {
        headers: bearer(TEST_KEYS.alice),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await res.text();
      const events = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map(([, event, data]) => ({
        event,
        data: JSON.parse(data),
      }));
      expect(events.map((e) => e.event)).toEqual(['state', 'progress', 'progress', 'progress', 'completed']);
      expect(events.slice(1, 4).map((e) => e.data.progress)).toEqual([25, 50, 75]);
      expect(events[4].data).toMatchObject({ id, state: 'completed' });
    });

    it('ends at once for a task that already ended', async () => {
      const id = await client.create('probe', { mode: 'ok' });
      await client.waitFor(id, 'completed');
      const res = await fetch(`${await app.getUrl()}/v1/tasks/${id}/events`, {
        headers: bearer(TEST_KEYS.alice),
      });
      expect(await res.text()).toMatch(/event: completed/);
    });
  });

  describe('schedules', () => {
    it('lets an admin schedule a repeating task, which fires, and remove it', async () => {
      const body = { type: 'probe', input: { mode: 'ok', tag: 'scheduled' }, every: 1_000 };
      expect(
        (await client.http.put('/v1/schedules/tick').set(bearer(TEST_KEYS.alice)).send(body)).status,
      ).toBe(403);
      const put = await client.http.put('/v1/schedules/tick').set(bearer(TEST_KEYS.admin)).send(body);
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ name: 'tick', type: 'probe', every: 1_000 });
      await eventually(
        () => expect(probeLog.order.filter((t) => t === 'scheduled').length).toBeGreaterThanOrEqual(2),
        5_000,
      );
      const list = await client.http.get('/v1/schedules').set(bearer(TEST_KEYS.admin));
      expect(list.body.items).toEqual([expect.objectContaining({ name: 'tick', type: 'probe' })]);
      const runs = await client.http
        .get('/v1/tasks?type=probe&state=completed&limit=100')
        .set(bearer(TEST_KEYS.admin));
      expect(runs.body.items.some((t: { result: { tag: string } }) => t.result?.tag === 'scheduled')).toBe(
        true,
      );
      expect((await client.http.delete('/v1/schedules/tick').set(bearer(TEST_KEYS.admin))).status).toBe(204);
      expect((await client.http.get('/v1/schedules').set(bearer(TEST_KEYS.admin))).body.items).toEqual([]);
      const bad = await client.http
        .put('/v1/schedules/bad')
        .set(bearer(TEST_KEYS.admin))
        .send({ ...body, every: undefined, cron: 'not a cron' });
      expect(bad.status).toBe(400);
    });
  });
});
