import { Module } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { z } from 'zod';
import { TaskProcessorHost } from '../../src/tasks/task-processor.host.js';
import { TaskTypeModule } from '../../src/tasks/task-type.module.js';
import { defineTask } from '../../src/tasks/task-type.js';
import { createHttpApp } from '../../src/app.factory.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { probeTask, ProbeProcessor } from './probe-task.js';

const orphanTask = defineTask({
  type: 'orphan',
  input: z.object({}),
  output: z.object({}),
  lockDurationMs: 1_000,
});

@Processor(probeTask.queueName)
class SecondProbeProcessor extends TaskProcessorHost<typeof probeTask> {
  readonly task = probeTask;
  protected async handle() {
    return { tag: 'second', pid: process.pid };
  }
}

@Module({ providers: [ProbeProcessor, SecondProbeProcessor] })
class TwoProbeProcessorsModule {}

describe('task type registration', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Starts the app expecting a refusal; closes what the partial start opened. */
  async function refusal(extra: Parameters<typeof createHttpApp>[1]): Promise<string> {
    const app = await createHttpApp(testConfig(redis.url), extra);
    try {
      await app.init();
      return 'started';
    } catch (err) {
      return (err as Error).message;
    } finally {
      await app.close();
    }
  }

  it('refuses to start when a registered type has no processor', async () => {
    expect(await refusal([TaskTypeModule.register(orphanTask)])).toMatch(
      /task type "orphan" has no processors/,
    );
  });

  it('refuses to start when a type has two processors', async () => {
    expect(await refusal([TaskTypeModule.register(probeTask, TwoProbeProcessorsModule)])).toMatch(
      /task type "probe" has 2 processors/,
    );
  });

  it('starts an api-only process without any processor', async () => {
    const app = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }), [
      TaskTypeModule.register(orphanTask),
    ]);
    await app.close();
  });
});
