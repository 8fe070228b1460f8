import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/test-env.js';

/** promtool from Debian's `prometheus` package (.ci/run installs it when missing). */
const PROMTOOL = 'promtool';
const DIR = 'ops/prometheus';

function promtool(...args: string[]) {
  const run = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000 });
  if (run.error)
    throw new Error(`${PROMTOOL} could not run (apt-get install prometheus): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('ops/prometheus/alerts.yml', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', join(DIR, 'alerts.yml'));
    expect(output).toMatch(/SUCCESS: 7 rules found/);
    expect(status).toBe(0);
  });

  it('fires each alert on synthetic series (promtool test rules)', () => {
    const { status, output } = promtool('test', 'rules', join(DIR, 'alerts.test.yml'));
    expect(output).toMatch(/SUCCESS/);
    expect(status).toBe(0);
  });

  it('has a unit test for every alert', () => {
    const alerts = [...readFileSync(join(DIR, 'alerts.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map(
      (m) => m[1],
    );
    const tested = new Set(
      [...readFileSync(join(DIR, 'alerts.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]),
    );
    expect(alerts.sort()).toEqual([
      'StrataJobFailureRateHigh',
      'StrataQueueDepthHigh',
      'StrataRedisMemoryHigh',
      'StrataRedisUnavailable',
    ]);
    expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
  });

  it('has tests that fail when a threshold is loosened', () => {
    // Proof the unit tests bite: the queue-depth threshold raised from 1000 to 2000 must fail them.
    const dir = tempDir('strata-rules-');
    writeFileSync(
      join(dir, 'alerts.yml'),
      readFileSync(join(DIR, 'alerts.yml'), 'utf8').replace(
        '{state="waiting"}) > 1000',
        '{state="waiting"}) > 2000',
      ),
    );
    copyFileSync(join(DIR, 'alerts.test.yml'), join(dir, 'alerts.test.yml'));
    const { status, output } = promtool('test', 'rules', join(dir, 'alerts.test.yml'));
    expect(output).toMatch(/StrataQueueDepthHigh/);
    expect(status).not.toBe(0);
  });
});
