import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JobSearchServer } from '../support/job-search-server.js';
import { ADAPTER_TEST_ENV } from './adapter-env.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';

describe('job search via an HTTP provider', () => {
  let redis: TestRedis;
  let provider: JobSearchServer;
  let app: NestFastifyApplication;
  let client: TaskClient;
  const requestsFor = (q: string) => provider.requests.filter((u) => u.searchParams.get('q') === q);

  beforeAll(async () => {
    redis = await TestRedis.start();
    provider = await JobSearchServer.start();
    const config = testConfig(redis.url, {
      ...ADAPTER_TEST_ENV,
      JOB_SEARCH_URL: provider.url,
      JOB_SEARCH_TIMEOUT_MS: '500',
      JOB_SEARCH_MAX_BYTES: '65536',
      TASK_ATTEMPTS: '2',
      TASK_BACKOFF_MS: '100',
    });
    app = await startTestApp(config, TASK_MODULES);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    await redis?.stop();
  });

  it('maps the input onto the request and the answer onto the result', async () => {
    const input = { query: 'data engineer', location: 'Lisbon', remote: true, limit: 2 };
    const done = await client.waitFor(await client.create('job-search', input), 'completed');
    const [request] = requestsFor('data engineer');
    expect(request.pathname).toBe('/search');
    expect(Object.fromEntries(request.searchParams)).toEqual({
      api: '1',
      q: 'data engineer',
      location: 'Lisbon',
      remote: 'true',
      limit: '2',
    });
    expect(done.result).toEqual({
      source: 'http',
      cached: false,
      total: 42,
      results: [
        {
          title: 'data engineer 1',
          company: 'Company 1',
          location: 'Lisbon',
          remote: true,
          url: 'https://jobs.example/data%20engineer/1',
          postedAt: '2025-05-01T00:00:00Z',
          score: 0.9,
        },
        expect.objectContaining({ title: 'data engineer 2', score: 0.5 }),
      ],
    });
  });

  it('answers an identical search from the cache: the provider sees one request', async () => {
    const input = { query: 'platform engineer', limit: 3 };
    const first = await client.waitFor(await client.create('job-search', input), 'completed');
    const second = await client.waitFor(await client.create('job-search', input), 'completed');
    expect(first.result.cached).toBe(false);
    expect(second.result).toEqual({ ...first.result, cached: true });
    expect(requestsFor('platform engineer')).toHaveLength(1);

    // Anything that changes the search is a different search.
    await client.waitFor(await client.create('job-search', { ...input, limit: 2 }), 'completed');
    expect(requestsFor('platform engineer')).toHaveLength(2);
  });

  it('gives up on a slow provider after JOB_SEARCH_TIMEOUT_MS, and retries', async () => {
    const started = Date.now();
    const failed = await client.waitFor(await client.create('job-search', { query: 'slow' }), 'failed');
    expect(failed.error).toBe('the job-search provider did not answer within 500 ms');
    expect(failed.attemptsMade).toBe(2);
    expect(requestsFor('slow')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(provider.slowMs);
  });

  it('refuses a redirect to another host, and follows one within the configured origin', async () => {
    const failed = await client.waitFor(await client.create('job-search', { query: 'elsewhere' }), 'failed');
    expect(failed.error).toBe('the job-search provider redirected to another host; not followed');
    expect(failed.attemptsMade).toBe(1);
    // The other origin (localhost, not 127.0.0.1) would have logged a request with the redirect's query.
    expect(provider.requests.filter((u) => u.hostname === 'localhost')).toHaveLength(0);

    const moved = await client.waitFor(await client.create('job-search', { query: 'moved' }), 'completed');
    expect(moved.result.results[0].title).toBe('moved 1');
    expect(requestsFor('moved').map((u) => u.pathname)).toEqual(['/search', '/v2/search']);
  });

  it('refuses an answer over JOB_SEARCH_MAX_BYTES without reading all of it', async () => {
    const failed = await client.waitFor(await client.create('job-search', { query: 'huge' }), 'failed');
    expect(failed.error).toBe("the job-search provider's answer is larger than 65536 bytes; refused");
    expect(failed.attemptsMade).toBe(1);
  });

  it('retries a 5xx after its Retry-After; fails a 403 at once', async () => {
    const broken = await client.waitFor(await client.create('job-search', { query: 'broken' }), 'failed');
    expect(broken.attemptsMade).toBe(2);
    const [first, second] = requestsFor('broken').map((u) => provider.arrivals[provider.requests.indexOf(u)]);
    // TASK_BACKOFF_MS is 100 ms: a second later is the server's Retry-After.
    expect(second - first).toBeGreaterThanOrEqual(950);
    const denied = await client.waitFor(await client.create('job-search', { query: 'denied' }), 'failed');
    expect(denied).toMatchObject({ attemptsMade: 1, error: 'the job-search provider answered HTTP 403' });
    expect(requestsFor('denied')).toHaveLength(1);
  });
});
