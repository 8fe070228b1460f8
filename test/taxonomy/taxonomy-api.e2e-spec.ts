import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

describe('taxonomy API', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());
  const asAlice = bearer(TEST_KEYS.alice);
  const asAdmin = bearer(TEST_KEYS.admin);

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url));
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('serves the seeded snapshot and each kind ordered by position', async () => {
    const all = await http().get('/v1/taxonomy').set(asAlice).expect(200);
    expect(all.body.masks.length).toBeGreaterThanOrEqual(8);
    expect(all.body.epochs.length).toBeGreaterThanOrEqual(5);
    expect(all.body.stages.length).toBeGreaterThanOrEqual(15);
    expect(typeof all.body.version).toBe('number');
    const masks = await http().get('/v1/taxonomy/masks').set(asAlice).expect(200);
    const positions = masks.body.items.map((i: { position: number }) => i.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const slug = masks.body.items[0].slug;
    const one = await http().get(`/v1/taxonomy/masks/${slug}`).set(asAlice).expect(200);
    expect(one.body).toMatchObject({ slug, name: expect.any(String), updatedAt: expect.any(String) });
  });

  it('MISS then HIT, with an ETag and a 304 for a matching If-None-Match', async () => {
    const first = await http().get('/v1/taxonomy/epochs').set(asAlice).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const second = await http().get('/v1/taxonomy/epochs').set(asAlice).expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.body).toEqual(first.body);
    const revalidated = await http()
      .get('/v1/taxonomy/epochs')
      .set(asAlice)
      .set('if-none-match', first.headers.etag)
      .expect(304);
    expect(revalidated.text).toBe('');
    await http().get('/v1/taxonomy/epochs').set(asAlice).set('if-none-match', '"other"').expect(200);
  });

  it('a write is seen by the very next read, and the version moves', async () => {
    const before = await http().get('/v1/taxonomy/masks').set(asAlice).expect(200);
    await http().get('/v1/taxonomy/masks').set(asAlice).expect(200); // cached now
    const created = await http()
      .put('/v1/taxonomy/masks/the-lighthouse-keeper')
      .set(asAdmin)
      .send({
        name: 'The Lighthouse Keeper',
        description: 'Keeps the light on for others.',
        position: 99,
        attributes: { tone: 'calm' },
      })
      .expect(201);
    expect(created.body).toMatchObject({ slug: 'the-lighthouse-keeper', position: 99 });
    const after = await http().get('/v1/taxonomy/masks').set(asAlice).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.version).toBeGreaterThan(before.body.version);
    expect(after.body.items.map((i: { slug: string }) => i.slug)).toContain('the-lighthouse-keeper');
    await http()
      .put('/v1/taxonomy/masks/the-lighthouse-keeper')
      .set(asAdmin)
      .send({ name: 'Renamed' })
      .expect(200);
    const item = await http().get('/v1/taxonomy/masks/the-lighthouse-keeper').set(asAlice).expect(200);
    expect(item.body.name).toBe('Renamed');
    await http().delete('/v1/taxonomy/masks/the-lighthouse-keeper').set(asAdmin).expect(204);
    await http().get('/v1/taxonomy/masks/the-lighthouse-keeper').set(asAlice).expect(404);
    await http().delete('/v1/taxonomy/masks/the-lighthouse-keeper').set(asAdmin).expect(404);
  });

  it('404 for an unknown kind or slug, never cached', async () => {
    const res = await http().get('/v1/taxonomy/planets').set(asAlice).expect(404);
    expect(res.body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: expect.stringMatching(/planets/),
    });
    await http().get('/v1/taxonomy/masks/no-such-mask').set(asAlice).expect(404);
    await http().get('/v1/taxonomy/masks/no-such-mask').set(asAlice).expect(404);
  });

  it('400 naming each bad field, and unknown fields', async () => {
    const res = await http()
      .put('/v1/taxonomy/masks/bad-one')
      .set(asAdmin)
      .send({ name: '', position: 1.5, attributes: 'x', color: 'red' })
      .expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['attributes', 'color', 'name', 'position']);
    expect(res.body.message).toMatch(/name/);
    const badSlug = await http()
      .put('/v1/taxonomy/masks/Not_Kebab')
      .set(asAdmin)
      .send({ name: 'x' })
      .expect(400);
    expect(badSlug.body.details[0].field).toBe('slug');
    const big = await http()
      .put('/v1/taxonomy/masks/big-attrs')
      .set(asAdmin)
      .send({ name: 'x', attributes: { blob: 'x'.repeat(17 * 1024) } })
      .expect(400);
    expect(big.body.details[0].field).toBe('attributes');
    await http().put('/v1/taxonomy/stages/lost').set(asAdmin).send({ name: 'Lost' }).expect(400);
    await http()
      .put('/v1/taxonomy/stages/lost')
      .set(asAdmin)
      .send({ name: 'Lost', epochSlug: 'nope' })
      .expect(422);
  });

  it('PUT takes what GET shows minus its read-only fields, and a replace resets what it leaves out', async () => {
    const stages = await http().get('/v1/taxonomy/stages').set(asAlice).expect(200);
    const { slug, updatedAt, ...editable } = stages.body.items[0];
    expect(editable.epochSlug).toEqual(expect.any(String));
    const edited = { ...editable, description: 'Edited through a GET, change, PUT round trip.' };
    const put = await http().put(`/v1/taxonomy/stages/${slug}`).set(asAdmin).send(edited).expect(200);
    expect(put.body).toMatchObject({ ...edited, slug });
    expect(put.body.version).toBeGreaterThan(stages.body.version);
    expect(put.body.updatedAt).not.toBe(updatedAt);

    const readOnly = await http()
      .put(`/v1/taxonomy/stages/${slug}`)
      .set(asAdmin)
      .send({ ...editable, slug, updatedAt })
      .expect(400);
    expect(readOnly.body.details).toEqual([
      { field: 'slug', message: expect.stringMatching(/^read-only/) },
      { field: 'updatedAt', message: expect.stringMatching(/^read-only/) },
    ]);

    const mask = (await http().get('/v1/taxonomy/masks').set(asAlice).expect(200)).body.items.find(
      (m: { description: string; position: number; attributes: object }) =>
        m.description !== '' && m.position !== 0 && Object.keys(m.attributes).length > 0,
    );
    const replaced = await http()
      .put(`/v1/taxonomy/masks/${mask.slug}`)
      .set(asAdmin)
      .send({ name: mask.name })
      .expect(200);
    expect(replaced.body).toMatchObject({ name: mask.name, description: '', position: 0, attributes: {} });
  });

  it('writes are admin-only; reads need a key', async () => {
    await http().get('/v1/taxonomy').expect(401);
    await http().put('/v1/taxonomy/masks/x-mask').set(asAlice).send({ name: 'X' }).expect(403);
    await http().delete('/v1/taxonomy/masks/x-mask').set(asAlice).expect(403);
    await http().post('/v1/admin/cache/flush').set(asAlice).expect(403);
  });

  it('409 when deleting an epoch that still has stages', async () => {
    const stages = await http().get('/v1/taxonomy/stages').set(asAlice).expect(200);
    const epoch = stages.body.items[0].epochSlug;
    const res = await http().delete(`/v1/taxonomy/epochs/${epoch}`).set(asAdmin).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('the flush empties the cache but leaves queue jobs and foreign keys alone', async () => {
    await redis.withClient(async (client) => {
      await client.set('bull:narrative:42', 'a queued job');
      await client.set('someone-else:key', 'theirs');
      await http().get('/v1/taxonomy/masks').set(asAlice).expect(200);
      const cacheKeys = await client.keys('strata:cache:*');
      expect(cacheKeys.length).toBeGreaterThan(0);
      await http().post('/v1/admin/cache/flush').set(asAdmin).send({ namespace: 'taxonomy' }).expect(204);
      expect(await client.keys('strata:cache:taxonomy:*')).toEqual([]);
      await http().get('/v1/taxonomy/masks').set(asAlice).expect(200);
      expect((await http().get('/v1/taxonomy/masks').set(asAlice)).headers['x-cache']).toBe('HIT');
      await http().post('/v1/admin/cache/flush').set(asAdmin).expect(204);
      expect(await client.keys('strata:cache:*')).toEqual([]);
      expect((await http().get('/v1/taxonomy/masks').set(asAlice)).headers['x-cache']).toBe('MISS');
      expect(await client.get('bull:narrative:42')).toBe('a queued job');
      expect(await client.get('someone-else:key')).toBe('theirs');
      await http().post('/v1/admin/cache/flush').set(asAdmin).send({ namespace: 'bull' }).expect(400);
    });
  });
});
