import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from '../support/eventually.js';
import { ADAPTER_TEST_ENV } from './adapter-env.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { bearer, TEST_API_KEYS, TEST_KEYS, tempDir } from '../support/test-env.js';

const EMAILS = 100;
const WORKERS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('email via SMTP while workers are SIGKILLed at random', () => {
  let redis: TestRedis;
  let sink: SmtpSink;
  let apiUrl: string;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start({ persistent: true });
    // Pauses before each RCPT reply and each final reply keep transactions open long enough to be hit.
    sink = await SmtpSink.start({ jitterMs: 150 });
    // The API runs in its own process too: the jest process then does little besides being the SMTP
    // server, which so reads each message's end as promptly as a real server would.
    const port = await freePort();
    const api = ServiceProcess.spawn({
      ...ADAPTER_TEST_ENV,
      APP_ROLE: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      API_KEYS: TEST_API_KEYS,
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'warn',
      TASK_ATTEMPTS: '20',
      TASK_BACKOFF_MS: '50',
    });
    workers.push(api);
    await api.waitForHttp(port, '/health/live', 60_000);
    apiUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.killed()));
    await sink?.close();
    await redis?.stop();
  });

  /** A worker, and whether it has finished booting (only those are worth killing: they hold jobs). */
  const spawnWorker = async () => {
    const { worker, port } = await ServiceProcess.spawnWorker(redis.url, {
      SMTP_URL: sink.url,
      SMTP_MAX_PER_MINUTE: '0',
      // A retry after a kill waits out the dead attempt's lease: short here, so the run stays short.
      SMTP_SEND_LEASE_MS: '2000',
      EMAIL_CONCURRENCY: '2',
      // A killed worker's jobs are taken over 1 s later, however often that happens to one job.
      QUEUE_MAX_STALLED_COUNT: '100',
    });
    workers.push(worker);
    const entry = { worker, ready: false };
    void worker.waitForHttp(port, '/health/live', 60_000).then(
      () => (entry.ready = true),
      () => undefined,
    );
    return entry;
  };

  it(`${EMAILS} emails: none arrives twice, and every confirmed one arrives`, async () => {
    const headers = { ...bearer(TEST_KEYS.alice), 'content-type': 'application/json' };
    const create = async (input: object) => {
      const res = await fetch(`${apiUrl}/v1/tasks/email`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ input }),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const view = async (id: string) =>
      (await (await fetch(`${apiUrl}/v1/tasks/${id}`, { headers })).json()) as any;
    const ids: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      ids.push(await create({ to: [`user${i}@example.com`], subject: `Message ${i}`, text: `n=${i}` }));
    }
    const live = await Promise.all(Array.from({ length: WORKERS }, spawnWorker));
    await eventually(() => expect(sink.received.length).toBeGreaterThan(0), 30_000, 50);

    let kills = 0;
    // Until most mail is in and at least one kill has cut a transaction short (a kill may land on a
    // worker that holds none), while mail is still being sent.
    const killing = () =>
      (sink.received.length < EMAILS * 0.9 || sink.transactionsCutShort === 0) &&
      sink.received.length < EMAILS &&
      kills < 25;
    while (killing()) {
      // The behaviour under test: workers killed at unforeseen moments of their sending, each while
      // some transaction is open (it may or may not be the victim's).
      await sleep(200 + Math.random() * 400);
      const ready = live.filter((w) => w.ready);
      if (ready.length === 0 || sink.openTransactions === 0) continue;
      const victim = ready[Math.floor(Math.random() * ready.length)];
      live.splice(live.indexOf(victim), 1);
      await victim.worker.killed();
      kills++;
      live.push(await spawnWorker());
    }

    const views = await eventually(
      async () => {
        const all = await Promise.all(ids.map(view));
        const pending = all.filter((v) => v.state !== 'completed');
        if (pending.length > 0)
          throw new Error(`${pending.length} not completed: ${JSON.stringify(pending[0])}`);
        return all;
      },
      90_000,
      250,
    );

    // The crash paths were exercised: workers died, and transactions were cut short by it.
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(sink.transactionsCutShort).toBeGreaterThan(0);

    // Never twice: no Message-ID and no subject arrived more than once.
    const subjects = sink.received.map((m) => m.parsed.subject);
    expect(new Set(subjects).size).toBe(sink.received.length);
    expect(new Set(sink.messageIds()).size).toBe(sink.received.length);
    // Every task's message is at the server exactly once. What could still lose one: a worker killed
    // between its two writes in one turn of the event loop, "committing" to Redis and the message's end
    // to the server (docs/adapters.md); the task would then say `confirmed: false`.
    const delivered = new Set(sink.messageIds());
    const missing = views.filter((v) => !delivered.has(v.result.messageId));
    // Each with what its task says (confirmed: false is the window above; true would be a broken promise).
    expect(
      missing.map((v) => ({ id: v.id, confirmed: v.result.confirmed, attempts: v.attemptsMade })),
    ).toEqual([]);
    expect(sink.received.length).toBe(EMAILS);
  }, 180_000);
});
