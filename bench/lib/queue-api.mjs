// The api role with the bench's no-op type, as a child process so autocannon does not share its CPU.
// argv: port, redis url, API keys, and optionally a JSON object of more variables. Prints "ready" once
// listening.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp } from '../../dist/app.factory.js';
import { loadConfig } from '../../dist/config/load-config.js';
import { DEFAULT_RATE_LIMITS } from '../../dist/config/rate-limit-rules.js';
import { noopTaskModule } from './queue-noop-task.mjs';

const [port, redisUrl, apiKeys, moreEnv = '{}'] = process.argv.slice(2);
const config = loadConfig({
  NODE_ENV: 'production',
  APP_ROLE: 'api',
  LOG_LEVEL: 'warn',
  API_KEYS: apiKeys,
  REDIS_URL: redisUrl,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'strata-bench-queue-')),
  SHUTDOWN_DRAIN_MS: '0',
  // The default limits stay on, plus a line of the bench key's own so its requests are admitted (as in
  // bench/taxonomy.mjs): a refused request is cheaper than an enqueued one and would flatter the API.
  RATE_LIMITS: `${DEFAULT_RATE_LIMITS},bench:default=1000000000/60s`,
  ...JSON.parse(moreEnv),
});
const app = await createHttpApp(config, [noopTaskModule(false)]);
await app.listen(Number(port), '127.0.0.1');
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
