import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocBlock, documentFiles, fencedBlocks, SHELL_LANGS } from '../support/doc-blocks.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { tempDir } from '../support/test-env.js';

/**
 * The commands the README and docs/*.md show are run here, against the built service started as
 * `npm start` starts it, so they cannot rot. A shell block is tagged `runnable` (run, in document order,
 * in one bash session per document, with `set -euo pipefail`) or `norun` (the text says why);
 * an untagged one fails the first test. Runnable blocks read BASE, KEY (a client key) and ADMIN_KEY.
 */
const KEY = 'docs-client-key-0123456789abcdef';
const ADMIN_KEY = 'docs-admin-key-0123456789abcdef0';

const shellBlocks = documentFiles().flatMap((file) =>
  fencedBlocks(file).filter((b) => SHELL_LANGS.includes(b.lang)),
);
const runnable = new Map<string, DocBlock[]>();
for (const block of shellBlocks.filter((b) => b.tags.includes('runnable'))) {
  runnable.set(block.file, [...(runnable.get(block.file) ?? []), block]);
}

describe('the commands in the docs', () => {
  let redis: TestRedis;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    redis = await TestRedis.start();
    service = ServiceProcess.spawn({
      HOST: '127.0.0.1',
      PORT: '0',
      REDIS_URL: redis.url,
      API_KEYS: `docs-admin:admin:${ADMIN_KEY},docs-client:client:${KEY}`,
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'info',
    });
    // PORT=0: the only way to learn the port is the start log, which must name the address really bound.
    const port = await eventually(() => {
      const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(service.output);
      if (!found) throw new Error(`no listening line yet:\n${service.output}`);
      return Number(found[1]);
    }, 30_000);
    base = `http://127.0.0.1:${port}`;
    await service.waitForHttp(port, '/health/ready');
  }, 60_000);
  afterAll(async () => {
    await service?.killed('SIGTERM');
    await redis?.stop();
  });

  it('tags every shell block runnable or norun', () => {
    const untagged = shellBlocks
      .filter((b) => !b.tags.includes('runnable') && !b.tags.includes('norun'))
      .map((b) => `${b.file}:${b.line}`);
    expect(untagged).toEqual([]);
    // The documents that promise a curl session keep one.
    expect([...runnable.keys()]).toEqual(expect.arrayContaining(['README.md', 'docs/pipelines.md']));
  });

  it('quotes the example files with their own imports (a block naming its file in its first line)', () => {
    const importsOf = (code: string) =>
      code
        .replace(/^\/\/.*\n/, '')
        .split(/\n(?!\s|\}|import)/)[0] // the leading import statements, multi-line ones whole
        .split('\n')
        .filter((line) => line.trim() !== '');
    const quoted = documentFiles()
      .flatMap((file) => fencedBlocks(file))
      .map((b) => ({ block: b, file: /^\/\/ ((?:examples|src|test)\/\S+\.ts)/.exec(b.code)?.[1] }))
      .filter((q) => q.file);
    expect(quoted.length).toBeGreaterThanOrEqual(5);
    for (const { block, file } of quoted) {
      const actual = importsOf(readFileSync(file!, 'utf8'));
      expect({ at: `${block.file}:${block.line}`, imports: importsOf(block.code) }).toEqual({
        at: `${block.file}:${block.line}`,
        imports: actual,
      });
    }
  });

  it.each([...runnable.entries()].map(([file, blocks]) => [file, blocks] as const))(
    'runs the runnable blocks of %s',
    (file, blocks) => {
      const dir = tempDir('strata-docs-');
      const script = ['set -euo pipefail']
        .concat(blocks.flatMap((b) => [`printf '\\n@@ %s\\n' '${b.file}:${b.line}' >&2`, b.code]))
        .join('\n');
      writeFileSync(join(dir, 'session.sh'), script);
      const run = spawnSync('bash', ['session.sh'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, BASE: base, KEY, ADMIN_KEY },
        encoding: 'utf8',
        timeout: 240_000,
      });
      const failedAt = [...run.stderr.matchAll(/^@@ (.+)$/gm)].pop()?.[1];
      const report = `${file}: exit ${run.status} in the block at ${failedAt}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
      expect(run.status === 0 ? 'ok' : report).toBe('ok');
    },
    300_000,
  );
});
