import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import { ADAPTER_TEST_ENV } from './adapter-env.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('email via SMTP', () => {
  let redis: TestRedis;
  let sink: SmtpSink;
  let app: NestFastifyApplication;
  let client: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    // A password that only survives if the URL's user info is percent-decoded.
    sink = await SmtpSink.start({ user: 'mailer', pass: 'p@ss:w/rd' });
    const config = testConfig(redis.url, {
      ...ADAPTER_TEST_ENV,
      SMTP_URL: sink.url,
      SMTP_FROM: 'Strata Reports <reports@strata.example>',
      SMTP_MAX_PER_MINUTE: '0',
      TASK_BACKOFF_MS: '100',
    });
    app = await startTestApp(config, TASK_MODULES);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await redis?.stop();
  });

  it('delivers recipients, subject, body and the PDF attachment', async () => {
    const sections = [{ heading: 'Summary', body: 'All good.' }];
    const pdf = await client.waitFor(await client.create('pdf', { title: 'Report', sections }), 'completed');
    const id = await client.create('email', {
      to: ['ada@example.com', 'Grace Hopper <grace@example.org>'],
      subject: 'Your report from Zürich ✓',
      text: 'Hello,\nyour report is attached.\n',
      attachTask: pdf.id,
    });
    const done = await client.waitFor(id, 'completed');
    expect(done.result).toEqual({
      messageId: expect.stringMatching(/^<[0-9a-f]{32}@strata\.task>$/),
      accepted: ['ada@example.com', 'grace@example.org'],
      rejected: [],
      transport: 'smtp',
      confirmed: true,
    });
    const mail = sink.received.find((m) => m.parsed.messageId === done.result.messageId)!;
    expect(mail.envelopeTo).toEqual(['ada@example.com', 'grace@example.org']);
    expect(mail.parsed.from?.value).toEqual([{ address: 'reports@strata.example', name: 'Strata Reports' }]);
    const to = Array.isArray(mail.parsed.to) ? mail.parsed.to : [mail.parsed.to!];
    expect(to.flatMap((t) => t.value.map((v) => v.address))).toEqual([
      'ada@example.com',
      'grace@example.org',
    ]);
    expect(mail.parsed.subject).toBe('Your report from Zürich ✓');
    expect(mail.parsed.text).toBe('Hello,\nyour report is attached.\n');
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(mail.parsed.attachments[0].contentType).toBe('application/pdf');
    expect(sha256(mail.parsed.attachments[0].content)).toBe(pdf.result.artifact.sha256);
  });

  it('fails after the server took the message, is retried, and the server still holds one copy', async () => {
    sink.dropReplyAfterAccept((raw) => raw.includes('Subject: Drop the reply'));
    const before = sink.transactionsStarted;
    const id = await client.create('email', {
      to: ['ada@example.com'],
      subject: 'Drop the reply',
      text: 'x',
    });
    const done = await client.waitFor(id, 'completed');
    expect(done.attemptsMade).toBe(2);
    expect(done.result).toMatchObject({ transport: 'smtp', confirmed: false });
    expect(sink.messageIds().filter((m) => m === done.result.messageId)).toHaveLength(1);
    // The retry recognised the unknown outcome and opened no second transaction.
    expect(sink.transactionsStarted - before).toBe(1);
  });

  it('fails a message the server refuses permanently after one attempt', async () => {
    const id = await client.create('email', { to: ['nobody@example.com'], subject: 'Refused', text: 'x' });
    const failed = await client.waitFor(id, 'failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.error).toBe('the SMTP server refused the message (550)');
  });

  it.each([
    ['CR LF in the subject', { subject: 'Hi\r\nBcc: victim@example.com' }, 'input.subject'],
    ['U+2028 in the subject', { subject: 'Hi\u2028there' }, 'input.subject'],
    ['NEL in the subject', { subject: 'Hi\u0085there' }, 'input.subject'],
    ['a line feed in a recipient', { to: ['ada@example.com\nBcc: victim@example.com'] }, 'input.to.0'],
  ])('answers 400 for %s at the API', async (_, override, field) => {
    const res = await client.post('email', {
      input: { to: ['ada@example.com'], subject: 'ok', text: 'x', ...override },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ field, message: expect.any(String) });
  });
});

describe('SMTP_MAX_PER_MINUTE', () => {
  let redis: TestRedis;
  let sink: SmtpSink;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    sink = await SmtpSink.start();
    app = await startTestApp(
      testConfig(redis.url, {
        ...ADAPTER_TEST_ENV,
        SMTP_URL: sink.url,
        SMTP_MAX_PER_MINUTE: '2',
      }),
      TASK_MODULES,
    );
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await redis?.stop();
  });

  it('sends no more messages a minute than the limit', async () => {
    const client = new TaskClient(app);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(await client.create('email', { to: ['a@example.com'], subject: `n${i}`, text: 'x' }));
    await eventually(() => expect(sink.received).toHaveLength(2), 15_000);
    // Waited out on purpose: the third must not go out within the minute, and an absence cannot be
    // polled for; a second is many worker turns.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sink.received).toHaveLength(2);
    await eventually(async () => {
      const states = await Promise.all(ids.map(async (id) => (await client.get(id)).body.state));
      expect(states.filter((s) => s === 'completed')).toHaveLength(2);
    }, 5_000);
  });
});
