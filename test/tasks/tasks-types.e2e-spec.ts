import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { simpleParser } from 'mailparser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { AppConfig } from '../../src/config/load-config.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT, TASK_MODULES, TaskClient } from './task-test-kit.js';

async function pdfText(buffer: Buffer): Promise<{ pages: number; text: string }> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), verbosity: 0 }).promise;
  let text = '';
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ') + '\n';
  }
  return { pages: pdf.numPages, text };
}

describe('each task type, from POST to completed', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let config: AppConfig;
  let client: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    config = testConfig(redis.url);
    app = await startTestApp(config, TASK_MODULES);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('narrative: writes the text with the mask from the taxonomy, reporting progress', async () => {
    const res = await client.post('narrative', { input: NARRATIVE_INPUT });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      type: 'narrative',
      state: 'waiting',
      links: { self: `/v1/tasks/${res.body.id}` },
    });
    expect(res.headers.location).toBe(`/v1/tasks/${res.body.id}`);
    expect(res.body.id).toMatch(/^narrative\.[A-Za-z0-9_-]{22}$/);
    const done = await client.waitFor(res.body.id, 'completed');
    expect(done.result.generator).toBe('template');
    expect(done.result.text).toContain('Ada Okafor');
    expect(done.progress).toBe(100);
    expect(done).toMatchObject({
      attemptsMade: 1,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
  });

  it('job-search: ranks postings from the built-in dataset', async () => {
    const id = await client.create('job-search', { query: 'python developer', limit: 5 });
    const done = await client.waitFor(id, 'completed');
    expect(done.result.total).toBeGreaterThan(0);
    expect(done.result.results).toHaveLength(5);
    expect(Object.keys(done.result.results[0]).sort()).toEqual([
      'company',
      'location',
      'postedAt',
      'remote',
      'score',
      'title',
      'url',
    ]);
  });

  it('pdf: renders sections into an artifact that parses back, and serves it', async () => {
    const sections = Array.from({ length: 12 }, (_, i) => ({
      heading: `Part ${i + 1}`,
      body: 'Lorem ipsum. '.repeat(200),
    }));
    const id = await client.create('pdf', { title: 'Quarterly report', sections });
    const done = await client.waitFor(id, 'completed');
    const res = await client.http
      .get(`/v1/tasks/${id}/artifact`)
      .set(bearer(TEST_KEYS.alice))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.body as Buffer;
    expect(done.result.artifact.bytes).toBe(body.length);
    const parsed = await pdfText(body);
    expect(parsed.pages).toBe(done.result.artifact.pages);
    expect(parsed.pages).toBeGreaterThan(1);
    expect(parsed.text).toContain('Quarterly report');
    expect(parsed.text).toContain('Part 12');
  });

  it('pdf from a narrative, then email with that pdf attached, written as a parseable .eml', async () => {
    const narrative = await client.create('narrative', NARRATIVE_INPUT);
    const text = (await client.waitFor(narrative, 'completed')).result.text as string;
    const pdf = await client.create('pdf', { title: 'Ada', fromTask: narrative });
    await client.waitFor(pdf, 'completed');
    const email = await client.create('email', {
      to: ['bob@example.com', 'Carol <carol@example.com>'],
      subject: 'Your narrative',
      text: 'Attached.',
      attachTask: pdf,
    });
    const done = await client.waitFor(email, 'completed');
    expect(done.result).toMatchObject({
      accepted: ['bob@example.com', 'Carol <carol@example.com>'],
      rejected: [],
    });
    const outbox = join(config.server.dataDir, 'outbox');
    const [file] = readdirSync(outbox);
    const mail = await simpleParser(readFileSync(join(outbox, file)));
    expect(mail.subject).toBe('Your narrative');
    expect(mail.messageId).toBe(done.result.messageId);
    expect(mail.text?.trim()).toBe('Attached.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    const attached = await pdfText(mail.attachments[0].content);
    expect(attached.text.replace(/\s+/g, ' ')).toContain(text.split('\n')[0].slice(0, 30));
  });

  it("refuses references to tasks that are not the caller's completed ones", async () => {
    const narrative = await client.create('narrative', NARRATIVE_INPUT, 'bob');
    await client.waitFor(narrative, 'completed', 'bob');
    const res = await client.post('pdf', { input: { title: 'x', fromTask: narrative } }, 'alice');
    // Another client's task is unknown to this one.
    expect(res.status).toBe(404);
    expect(res.body.details).toEqual([{ field: 'input.fromTask', message: 'no such task' }]);
    // One of the caller's own tasks, but of the wrong type: a bad request, naming the field.
    const search = await client.create('job-search', { query: 'nurse' }, 'alice');
    await client.waitFor(search, 'completed', 'alice');
    const wrong = await client.post('pdf', { input: { title: 'x', fromTask: search } }, 'alice');
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([
      { field: 'input.fromTask', message: expect.stringMatching(/completed narrative/) },
    ]);
  });
});
