import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ADAPTER_TEST_ENV } from '../adapters/adapter-env.js';
import { TestRedis } from '../support/redis-server.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { TaskClient } from '../tasks/task-test-kit.js';
import { EXAMPLE_STEPS, PipelineClient, statesOf, stepOf } from './pipeline-kit.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** job-search → narrative about the top posting → PDF of it → email with the PDF, to a real SMTP server. */
describe('the example pipeline', () => {
  let redis: TestRedis;
  let sink: SmtpSink;
  let app: NestFastifyApplication;
  let pipelines: PipelineClient;
  let tasks: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    sink = await SmtpSink.start();
    app = await startTestApp(
      testConfig(redis.url, { ...ADAPTER_TEST_ENV, SMTP_URL: sink.url, SMTP_MAX_PER_MINUTE: '0' }),
    );
    pipelines = new PipelineClient(app);
    tasks = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await redis?.stop();
  });

  /** The mail the run's email step sent, and checks that its attachment is the run's PDF. */
  const mailOf = (run: any) => {
    const messageId = stepOf(run, 'mail').output.messageId;
    const mails = sink.received.filter((m) => m.parsed.messageId === messageId);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.parsed.subject).toBe('Your narrative');
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(mail.parsed.attachments[0].contentType).toBe('application/pdf');
    expect(sha256(mail.parsed.attachments[0].content)).toBe(stepOf(run, 'doc').output.artifact.sha256);
    return mail;
  };

  it('production: queued at once in dependency order, every output handed on, the email received', async () => {
    // Given out of order: the run still goes search → story → doc → mail.
    const created = await pipelines.create('production', [...EXAMPLE_STEPS].reverse());
    expect(created).toMatchObject({ mode: 'production', state: 'running' });
    expect(created.steps.map((s: any) => [s.id, s.type, s.state])).toEqual([
      ['search', 'job-search', 'waiting'],
      ['story', 'narrative', 'waiting'],
      ['doc', 'pdf', 'waiting'],
      ['mail', 'email', 'waiting'],
    ]);
    expect(created.steps.every((s: any) => s.taskId.startsWith(`${s.type}.`))).toBe(true);

    const run = await pipelines.waitFor(created.id, 'completed');
    const title = stepOf(run, 'search').output.results[0].title;
    expect(stepOf(run, 'story').output.text).toContain(title.replace(/[.!?]$/, ''));
    expect(stepOf(run, 'doc').output.artifact.pages).toBeGreaterThan(0);
    for (const step of run.steps) {
      expect(step).toMatchObject({ state: 'completed', cached: false, attemptsMade: 1 });
      expect(Date.parse(step.finishedAt)).toBeGreaterThanOrEqual(Date.parse(step.startedAt));
      // Each step is an ordinary task of its owner.
      expect((await tasks.get(step.taskId)).body).toMatchObject({ state: 'completed', result: step.output });
    }
    mailOf(run);
  });

  it('development: nothing runs until asked; each /step runs the next step; an unchanged rerun is cached', async () => {
    const created = await pipelines.create('development', EXAMPLE_STEPS);
    expect(created.state).toBe('idle');
    expect(Object.values(statesOf(created))).toEqual(['pending', 'pending', 'pending', 'pending']);
    // Waited out on purpose: nothing may start by itself, and an absence cannot be polled for.
    await new Promise((r) => setTimeout(r, 300));
    expect(statesOf((await pipelines.get(created.id)).body)).toEqual(statesOf(created));

    const expected = [
      { search: 'completed', story: 'pending', doc: 'pending', mail: 'pending' },
      { search: 'completed', story: 'completed', doc: 'pending', mail: 'pending' },
      { search: 'completed', story: 'completed', doc: 'completed', mail: 'pending' },
      { search: 'completed', story: 'completed', doc: 'completed', mail: 'completed' },
    ];
    const mailsBefore = sink.received.length;
    for (const [i, states] of expected.entries()) {
      const res = await pipelines.act(created.id, 'step');
      expect(res.status).toBe(202);
      expect(stepOf(res.body, created.steps[i].id).state).toMatch(/^(waiting|active|completed)$/);
      const run = await pipelines.settled(created.id);
      expect(statesOf(run)).toEqual(states);
      if (i === 0) expect(sink.received.length).toBe(mailsBefore);
    }
    const done = await pipelines.waitFor(created.id, 'completed');
    mailOf(done);
    expect((await pipelines.act(created.id, 'step')).status).toBe(409);

    // Nothing changed: every step answers from the cache, keeps its task id, and no second email goes out.
    const rerun = await pipelines.act(created.id, 'rerun', { from: 'search' });
    expect(rerun.status).toBe(202);
    const again = await pipelines.waitFor(created.id, 'completed');
    for (const step of again.steps) {
      expect(step).toMatchObject({ cached: true, taskId: stepOf(done, step.id).taskId });
      expect(step.output).toEqual(stepOf(done, step.id).output);
    }
    expect(sink.received.length).toBe(mailsBefore + 1);
  });
});
