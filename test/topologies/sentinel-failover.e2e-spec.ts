import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TaskQueues } from '../../src/tasks/task-queues.service.js';
import { eventually } from '../support/eventually.js';
import { SentinelSet } from '../support/redis-sentinel.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT, TASK_MODULES } from '../tasks/task-test-kit.js';

const asAlice = bearer(TEST_KEYS.alice);
const asAdmin = bearer(TEST_KEYS.admin);
const SCHEDULE_EVERY_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One input per task type, each made unique by `n` (the email's subject tells copies apart). */
const INPUTS: [string, (n: number) => unknown][] = [
  ['narrative', () => NARRATIVE_INPUT],
  ['job-search', (n) => ({ query: n % 2 ? 'python developer' : 'nurse', limit: 3 })],
  ['pdf', (n) => ({ title: `Failover ${n}`, sections: [{ heading: 'One', body: 'Text. '.repeat(20) }] })],
  ['email', (n) => ({ to: ['ops@example.com'], subject: `failover-${n}`, text: `message ${n}` })],
];

interface Enqueue {
  key: string;
  type: string;
  subject?: string;
  id?: string;
  /** Every answer, in order, with when it came. */
  answers: { at: number; status: number; retryAfter: string | null; message?: string }[];
}

interface FailoverReport {
  promotionMs: number;
  acknowledged: number;
  acknowledgedTypes: string[];
  lost: string[];
  duplicatedEmails: string[];
  reads: number;
  readFailures: number[];
  /** From the first answer that was not 202 to the first 202 after the promotion. */
  enqueue503WindowMs: number;
  first202AfterPromotionMs: number;
  workerResumeMs: number;
  otherEnqueueStatuses: number[];
  /** From the end of the load until every acknowledged task had finished. */
  drainMs: number;
  scheduleRunsStartedTwice: number;
  schedulePeriodsSkipped: number;
  slowestFinishAfterPromotionMs: Record<string, number>;
}

/**
 * Issue #19, test 1: the service on a master, one replica and three sentinels (down-after 1 s), under a
 * mixed load of cached reads, enqueues of every task type and workers processing, while the master is
 * SIGKILLed; once the replica is promoted, the old master is started again as its replica. Everything
 * real: redis-server, redis-sentinel, an SMTP server on loopback, the whole app in this process.
 */
describe('Sentinel failover under load', () => {
  const reports: Record<string, FailoverReport> = {};
  afterAll(() => {
    // The measured windows, for docs/redis-topologies.md.
    process.stdout.write(`sentinel failover report: ${JSON.stringify(reports, null, 1)}\n`);
  });

  it('QUEUE_MIN_REPLICAS_ACK=1: every acknowledged task completes exactly once; reads never fail', async () => {
    const report = await failover('1');
    reports.ack1 = report;
    expect(report.readFailures).toEqual([]);
    expect(report.reads).toBeGreaterThan(100);
    expect(report.otherEnqueueStatuses).toEqual([]);
    expect(report.acknowledged).toBeGreaterThanOrEqual(20);
    expect(report.acknowledgedTypes).toEqual(INPUTS.map(([type]) => type).sort());
    expect(report.lost).toEqual([]);
    // Not asserted: an email whose send overlapped the SIGKILL can go out twice when the send ledger's
    // last write ("committing") had not reached the replica (docs/redis-topologies.md); counted here.
    process.stdout.write(`QUEUE_MIN_REPLICAS_ACK=1: ${report.duplicatedEmails.length} emails sent twice\n`);
  }, 180_000);

  it('QUEUE_MIN_REPLICAS_ACK=0: the same, and it reports how many acknowledged tasks the failover lost', async () => {
    const report = await failover('0');
    reports.ack0 = report;
    expect(report.readFailures).toEqual([]);
    expect(report.otherEnqueueStatuses).toEqual([]);
    expect(report.acknowledged).toBeGreaterThanOrEqual(20);
    expect(report.acknowledgedTypes).toEqual(INPUTS.map(([type]) => type).sort());
    // Asynchronous replication: the last writes before the kill may be lost; how many is the measurement.
    process.stdout.write(
      `QUEUE_MIN_REPLICAS_ACK=0: ${report.lost.length} of ${report.acknowledged} acknowledged tasks lost, ` +
        `${report.duplicatedEmails.length} emails sent twice\n`,
    );
  }, 180_000);
});

async function failover(minReplicasAck: string): Promise<FailoverReport> {
  const set = await SentinelSet.start();
  const sink = await SmtpSink.start();
  let app: NestFastifyApplication | undefined;
  try {
    app = await startTestApp(
      testConfig(set.url, {
        QUEUE_MIN_REPLICAS_ACK: minReplicasAck,
        SMTP_URL: sink.url,
        // Jobs active on the lost master are found stalled and run again within seconds.
        QUEUE_LOCK_DURATION_MS: '3000',
        QUEUE_STALLED_INTERVAL_MS: '1000',
        TASK_EVENTS_HEARTBEAT_MS: '1000',
        TASK_BACKOFF_MS: '200',
        // An email attempt cut off by the kill holds its send for this long before a retry may take it
        // over (the send ledger's lease, 60 s by default): the test would otherwise wait that long.
        SMTP_SEND_LEASE_MS: '5000',
      }),
      TASK_MODULES,
    );
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const send = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);
    const json = (headers: Record<string, string>, body: unknown): RequestInit => ({
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    // A schedule, and an event stream on a task that finishes after the failover.
    const scheduleName = `failover-tick-${minReplicasAck}`;
    const put = await send(`/v1/schedules/${scheduleName}`, {
      ...json(asAdmin, { type: 'narrative', input: NARRATIVE_INPUT, every: SCHEDULE_EVERY_MS }),
      method: 'PUT',
    });
    expect(put.status).toBe(200);
    const delayed = await send(
      '/v1/tasks/narrative',
      json(asAlice, { input: NARRATIVE_INPUT, options: { delayMs: 6_000 } }),
    );
    expect(delayed.status).toBe(202);
    const delayedId = ((await delayed.json()) as { id: string }).id;
    const stream = readEventStream(`${base}/v1/tasks/${delayedId}/events`);

    // The load: cached reads, and enqueues of every type, each retried with its Idempotency-Key on 503.
    let running = true;
    const readStatuses: number[] = [];
    const enqueues: Enqueue[] = [];
    const reader = async () => {
      while (running) {
        const res = await send('/v1/taxonomy/masks', { headers: asAlice }).catch(() => undefined);
        readStatuses.push(res?.status ?? 0);
        await res?.arrayBuffer();
        await sleep(5);
      }
    };
    let n = 0;
    const enqueuer = async () => {
      while (running) {
        const i = n++;
        const [type, input] = INPUTS[i % INPUTS.length];
        const e: Enqueue = { key: `failover-${minReplicasAck}-${i}`, type, answers: [] };
        if (type === 'email') e.subject = `failover-${i}`;
        enqueues.push(e);
        while (running || e.answers.length === 0) {
          const res = await send(
            `/v1/tasks/${type}`,
            json({ ...asAlice, 'idempotency-key': e.key }, { input: input(i) }),
          ).catch(() => undefined);
          const body = (await res?.json().catch(() => undefined)) as
            { id?: string; message?: string } | undefined;
          e.answers.push({
            at: Date.now(),
            status: res?.status ?? 0,
            retryAfter: res?.headers.get('retry-after') ?? null,
            message: res?.status === 202 ? undefined : body?.message,
          });
          if (res?.status === 202) {
            e.id = body!.id;
            break;
          }
          await sleep(100);
        }
        await sleep(40);
      }
    };
    const load = [reader(), reader(), enqueuer(), enqueuer()];

    await sleep(2_000);
    const { killed, killedAt, promotedAt } = await set.killMaster();
    await set.restartAsReplica(killed);
    // Enqueues are answered with 202 again, and the load goes on a while on the new master.
    const first202 = await eventually(
      () => {
        const at = enqueues
          .flatMap((e) => e.answers)
          .filter((a) => a.status === 202 && a.at > promotedAt)
          .map((a) => a.at);
        if (at.length === 0) {
          const last = enqueues.flatMap((e) => e.answers).slice(-3);
          throw new Error(`no 202 since the promotion yet; last answers ${JSON.stringify(last)}`);
        }
        return Math.min(...at);
      },
      30_000,
      50,
    );
    await sleep(3_000);
    running = false;
    await Promise.all(load);

    const loadStoppedAt = Date.now();
    // Every acknowledged task, to its end.
    const acked = enqueues.filter((e) => e.id);
    const views = new Map<string, { state: string; finishedAt?: string }>();
    await eventually(
      async () => {
        for (const e of acked) {
          if (views.get(e.id!)?.state === 'completed') continue;
          const res = await send(`/v1/tasks/${e.id}`, { headers: asAlice });
          views.set(e.id!, res.status === 200 ? await res.json() : { state: `http ${res.status}` });
        }
        const unfinished = acked.filter(
          (e) => !['completed', 'failed', 'http 404'].includes(views.get(e.id!)!.state),
        );
        if (unfinished.length > 0) throw new Error(`${unfinished.length} tasks not finished`);
      },
      90_000,
      500,
    );
    const lost = acked
      .filter((e) => views.get(e.id!)!.state !== 'completed')
      .map((e) => `${e.id} (${views.get(e.id!)!.state})`);
    const finishedAfter = acked
      .map((e) => Date.parse(views.get(e.id!)?.finishedAt ?? ''))
      .filter((t) => t > promotedAt);

    const allFinishedAt = Date.now();
    // Emails: each acknowledged one arrived, none twice.
    await eventually(() => {
      const subjects = new Set(sink.received.map((m) => m.parsed.subject));
      const missing = acked.filter((e) => e.subject && !subjects.has(e.subject));
      if (missing.length > 0 && lost.length === 0) throw new Error(`${missing.length} emails not arrived`);
    }, 10_000);
    const bySubject = new Map<string, number>();
    for (const m of sink.received)
      bySubject.set(m.parsed.subject!, (bySubject.get(m.parsed.subject!) ?? 0) + 1);
    const duplicatedEmails = [...bySubject].filter(([, count]) => count > 1).map(([s, c]) => `${s} x${c}`);

    // The event stream opened before the kill ended with the task's completion.
    const events = await stream;
    expect(events).toContain('event: completed');

    // The schedule fired after the failover, and never twice for one period.
    await sleep(SCHEDULE_EVERY_MS * 2);
    const runs = (
      await app
        .get(TaskQueues)
        .get('narrative')
        .getJobs(['completed', 'active', 'waiting', 'delayed', 'failed', 'prioritized'])
    ).filter((job) => job.data.schedule === scheduleName);
    // A scheduler's job id ends with the time of its period: never two runs for one period. A period
    // that fell in the window without a master is skipped, not made up (BullMQ schedules the next run
    // from the time it runs the last one); how many is reported.
    const slots = runs.map((job) => Number(job.id!.split(':').pop())).sort((x, y) => x - y);
    const gaps = slots.slice(1).map((slot, i) => slot - slots[i]);
    expect(gaps.filter((gap) => gap <= 0 || gap % SCHEDULE_EVERY_MS !== 0)).toEqual([]);
    const schedulePeriodsSkipped = gaps.reduce((sum, gap) => sum + gap / SCHEDULE_EVERY_MS - 1, 0);
    // A run active on the lost master is taken over by the stalled check and started again: the
    // schedule still made one job for its period (at-least-once execution, as for any task).
    const scheduleRunsStartedTwice = runs.filter((job) => job.attemptsStarted > 1).length;
    expect(runs.some((job) => job.finishedOn && job.finishedOn > promotedAt)).toBe(true);
    await send(`/v1/schedules/${scheduleName}`, { method: 'DELETE', headers: asAdmin });

    // The rate limiter synced its counts with the new master.
    const master = await set.master();
    await eventually(
      async () => {
        const newest = await master.withClient(async (c) => {
          const keys = await c.keys('strata:ratelimit:*');
          const scores = await Promise.all(
            keys.map(async (k) =>
              (await c.type(k)) === 'zset' ? c.zrange(k, '-1', '-1', 'WITHSCORES') : [],
            ),
          );
          return Math.max(0, ...scores.map((s) => Number(s[1] ?? 0)));
        });
        expect(newest).toBeGreaterThan(promotedAt);
      },
      5_000,
      100,
    );

    // /health is 200 again (with QUEUE_MIN_REPLICAS_ACK=1: once the old master is a replica).
    await eventually(async () => expect((await send('/health')).status).toBe(200), 10_000, 100);

    const answers = enqueues.flatMap((e) => e.answers);
    const refusals = answers.filter((a) => a.status !== 202);
    for (const r of refusals.filter((a) => a.status === 503)) expect(r.retryAfter).toBe('1');
    // Answered 202 again within 10 s of the promotion (the bound).
    expect(first202 - promotedAt).toBeLessThan(10_000);
    const firstRefusal = Math.min(...refusals.map((a) => a.at), first202);
    return {
      promotionMs: promotedAt - killedAt,
      acknowledged: acked.length,
      acknowledgedTypes: [...new Set(acked.map((e) => e.type))].sort(),
      lost,
      duplicatedEmails,
      reads: readStatuses.length,
      readFailures: readStatuses.filter((s) => s < 200 || s > 299),
      enqueue503WindowMs: first202 - firstRefusal,
      first202AfterPromotionMs: first202 - promotedAt,
      workerResumeMs: finishedAfter.length ? Math.min(...finishedAfter) - promotedAt : -1,
      otherEnqueueStatuses: refusals.filter((a) => a.status !== 503).map((a) => a.status),
      drainMs: allFinishedAt - loadStoppedAt,
      scheduleRunsStartedTwice,
      schedulePeriodsSkipped,
      slowestFinishAfterPromotionMs: Object.fromEntries(
        INPUTS.map(([type]) => [
          type,
          Math.max(
            0,
            ...acked
              .filter((e) => e.type === type)
              .map((e) => Date.parse(views.get(e.id!)?.finishedAt ?? '') - promotedAt)
              .filter((ms) => ms > 0),
          ),
        ]),
      ),
    };
  } finally {
    await app?.close();
    await sink.close();
    await set.stop();
  }
}

/** Reads an SSE response to its end (or 60 s), returning the raw text. */
async function readEventStream(url: string): Promise<string> {
  const res = await fetch(url, { headers: asAlice, signal: AbortSignal.timeout(60_000) });
  let text = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  } catch {
    // timed out: the caller's assertion says what was missing
  }
  return text;
}
