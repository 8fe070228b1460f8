import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import openapiTS, { astToString } from 'openapi-typescript';
import request from 'supertest';
import ts from 'typescript';
import { TASK_MODULES } from '../tasks/task-test-kit.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig, TEST_KEYS } from '../support/test-env.js';

const run = promisify(execFile);

/** What a client team does: generate types from the served document, compile under `strict`, run. */
describe('a typed client generated from the served document', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let dir: string;

  beforeAll(async () => {
    redis = await TestRedis.start();
    // A small job-search budget, so the program meets a 429.
    app = await startTestApp(
      testConfig(redis.url, { RATE_LIMITS: 'default=100000/60s,tasks:job-search=3/60s' }),
      TASK_MODULES,
    );
    dir = mkdtempSync(join(tmpdir(), 'strata-client-'));
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles under strict, and its program creates every type, reads ETag/304 and handles a 429', async () => {
    const served = await request(app.getHttpServer()).get('/docs/openapi.json');
    expect(served.status).toBe(200);
    const types = astToString(await openapiTS(served.body));
    writeFileSync(join(dir, 'strata-api.ts'), types);
    copyFileSync(
      resolve('test/typed-client/strata-client.program.ts'),
      join(dir, 'strata-client.program.ts'),
    );
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));

    const program = ts.createProgram([join(dir, 'strata-client.program.ts')], {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      outDir: join(dir, 'out'),
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .concat(program.emit().diagnostics)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const url = await app.getUrl();
    const { stdout } = await run(process.execPath, [join(dir, 'out', 'strata-client.program.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        STRATA_URL: url.replace('[::1]', '127.0.0.1'),
        STRATA_KEY: TEST_KEYS.alice,
      },
      timeout: 90_000,
    });
    const seen = JSON.parse(stdout);
    expect(seen.location).toMatch(/^\/v1\/tasks\/narrative\./);
    expect(seen.narrative).toEqual({ generator: 'template', words: expect.any(Number) });
    expect(seen.narrative.words).toBeGreaterThan(10);
    expect(seen.jobSearch.total).toBeGreaterThan(0);
    expect(typeof seen.jobSearch.firstTitle).toBe('string');
    expect(seen.pdf.pages).toBeGreaterThanOrEqual(1);
    expect(seen.email.accepted).toEqual(['Ada Okafor <ada@example.com>']);
    expect(seen.taxonomy).toMatchObject({ notModified: 304 });
    expect(seen.taxonomy.masks).toBeGreaterThan(0);
    expect(typeof seen.taxonomy.epochOfStage).toBe('string');
    // Three job-search tasks fit the budget (one made above), so the third POST of the loop is refused.
    expect(seen.rateLimited).toEqual({
      status: 429,
      retryAfter: expect.any(Number),
      remaining: 0,
      afterRequests: 3,
    });
    expect(seen.rateLimited.retryAfter).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
