import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { SkillMatchProcessor } from '../../examples/skills-extension/skill-match.processor.js';
import { CachedRouteFastPath } from '../../src/edge/cached-route.fast-path.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

/**
 * "An extension adds a task type and a cached read module in its own folder plus the one registration
 * place": examples/skills-extension/, named in STRATA_EXTENSIONS, with nothing in src/ naming it.
 */
const EXTENSION = resolve('examples/skills-extension/skills.extension.ts');
const asAlice = bearer(TEST_KEYS.alice);
const asAdmin = bearer(TEST_KEYS.admin);

describe('an extension from its own folder: the skills glossary and the skill-match task type', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(
      testConfig(redis.url, { STRATA_EXTENSIONS: EXTENSION, SKILL_MATCH_CONCURRENCY: '3' }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('changes no core file: nothing in src/ names the extension', () => {
    const grep = spawnSync(
      'git',
      [
        'grep',
        '-l',
        '-e',
        'skills-extension',
        '-e',
        'skill-match',
        '-e',
        '/v1/skills',
        '-e',
        'ext_skills',
        '--',
        'src',
      ],
      { encoding: 'utf8' },
    );
    expect([grep.status, grep.stdout]).toEqual([1, '']); // 1: git grep found nothing
  });

  it('serves its reads from the cache, on the fast path, and no read after a write is stale', async () => {
    const first = await http().get('/v1/skills').set(asAlice).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.body.items.map((s: { slug: string }) => s.slug)).toEqual(
      expect.arrayContaining(['typescript', 'kubernetes']),
    );
    const fastPath = app.get(CachedRouteFastPath);
    expect(fastPath.routes).toEqual(expect.arrayContaining(['/v1/skills', '/v1/skills/:slug']));
    const answered = fastPath.answered;
    const second = await http().get('/v1/skills').set(asAlice).expect(200);
    expect([second.headers['x-cache'], second.body]).toEqual(['HIT', first.body]);
    expect(fastPath.answered).toBe(answered + 1);
    await http().get('/v1/skills').set(asAlice).set('if-none-match', first.headers.etag).expect(304);

    await http().put('/v1/skills/rust').set(asAlice).send({ name: 'Rust', category: 'language' }).expect(403);
    const created = await http()
      .put('/v1/skills/rust')
      .set(asAdmin)
      .send({ name: 'Rust', category: 'language', aliases: ['RustLang'] })
      .expect(201);
    expect(created.body).toMatchObject({ slug: 'rust', aliases: ['rustlang'] });
    const after = await http().get('/v1/skills').set(asAlice).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.items.map((s: { slug: string }) => s.slug)).toContain('rust');

    const one = await http().get('/v1/skills/rust').set(asAlice).expect(200);
    expect(one.body.name).toBe('Rust');
    await http()
      .put('/v1/skills/rust')
      .set(asAdmin)
      .send({ name: 'Rust (lang)', category: 'language' })
      .expect(200);
    expect((await http().get('/v1/skills/rust').set(asAlice).expect(200)).body).toMatchObject({
      name: 'Rust (lang)',
      aliases: [],
    });
    await http().get('/v1/skills/cobol').set(asAlice).expect(404);
    const bad = await http()
      .put('/v1/skills/rust')
      .set(asAdmin)
      .send({ name: 'Rust', colour: 'orange' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['category', 'colour']);
  });

  it('registers its cache namespace: the admin flush knows it', async () => {
    await http().get('/v1/skills/typescript').set(asAlice).expect(200);
    await http().post('/v1/admin/cache/flush').set(asAdmin).send({ namespace: 'skills' }).expect(204);
    const flushed = await http().get('/v1/skills/typescript').set(asAlice).expect(200);
    expect(flushed.headers['x-cache']).toBe('MISS');
  });

  it('runs its task type through the tasks API; the processor reads the glossary through its service', async () => {
    const created = await http()
      .post('/v1/tasks/skill-match')
      .set(asAlice)
      .send({
        input: {
          posting: 'Backend engineer: TypeScript, Postgres and k8s.',
          candidate: ['ts', 'Kubernetes'],
        },
      })
      .expect(202);
    expect(created.body.id).toMatch(/^skill-match\./);
    const done = await eventually(async () => {
      const res = await http().get(`/v1/tasks/${created.body.id}`).set(asAlice).expect(200);
      if (res.body.state !== 'completed') throw new Error(`still ${res.body.state}`);
      return res.body;
    }, 15_000);
    expect(done.result).toEqual({
      asked: ['kubernetes', 'postgresql', 'typescript'],
      matched: ['kubernetes', 'typescript'],
      missing: ['postgresql'],
      score: 2 / 3,
    });
    const refused = await http()
      .post('/v1/tasks/skill-match')
      .set(asAlice)
      .send({ input: { posting: 'x', candidate: 'ts' } })
      .expect(400);
    expect(refused.body.details[0].field).toBe('input.candidate');
  });

  it('appears in the OpenAPI document, the queue metrics and the worker config like a built-in', async () => {
    const doc = (await http().get('/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/skills', '/v1/skills/{slug}', '/v1/tasks/skill-match']),
    );
    expect(doc.paths['/v1/skills/{slug}'].put.operationId).toBe('putSkill');
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('skills');

    const worker = app.get(SkillMatchProcessor).worker;
    expect(worker.concurrency).toBe(3); // SKILL_MATCH_CONCURRENCY, read for any registered type
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/strata_queue_jobs\{queue="skill-match",state="waiting"\} \d+/);
  });
});
