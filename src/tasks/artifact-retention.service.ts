import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { parseTaskId } from './task-id.js';
import { TaskQueues } from './task-queues.service.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { ARTIFACT_STORE } from '../artifacts/artifact-store.provider.js';

const SCAN_COUNT = 200;

/**
 * Artifacts go when their task goes. BullMQ removes finished jobs by age and count (TASK_*_MAX_AGE_S,
 * TASK_*_MAX_COUNT) without telling anyone, so each artifact is listed, before it is written, in a sorted
 * set beside the queues (`<prefix>:tasks:artifacts`, member `<task id> <artifact key>`), and a sweep every
 * ARTIFACT_SWEEP_INTERVAL_MS deletes the artifacts whose job no longer exists. One worker sweeps at a
 * time (a lock key); deleting is idempotent, so a sweep cut short is simply finished by the next.
 */
@Injectable()
export class ArtifactRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ArtifactRetention.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    private readonly queues: TaskQueues,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((err: Error) => {
          this.logger.debug(`artifact sweep failed (${err.message}); the next one retries`);
          return 0;
        })
        .finally(() => (this.sweeping = undefined));
    }, this.config.adapters.artifactSweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Call before writing the artifact, so a crash between the two leaves nothing untracked. */
  async track(taskId: string, key: string): Promise<void> {
    await this.queues.redis.zadd(this.indexKey, Date.now(), `${taskId} ${key}`);
  }

  /** Deletes the artifacts of removed tasks; returns how many entries it dropped. */
  async sweep(): Promise<number> {
    const lock = await this.queues.redis.set(
      this.queues.key('artifact-sweep-lock'),
      String(process.pid),
      'PX',
      this.config.adapters.artifactSweepIntervalMs,
      'NX',
    );
    if (lock !== 'OK') return 0;
    let dropped = 0;
    let cursor = '0';
    do {
      const [next, flat] = await this.queues.redis.zscan(this.indexKey, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      const members = flat.filter((_, i) => i % 2 === 0);
      const gone = await this.removedTasks(members);
      for (const member of gone) {
        await this.artifacts.delete(member.slice(member.indexOf(' ') + 1));
        await this.queues.redis.zrem(this.indexKey, member);
        dropped++;
      }
    } while (cursor !== '0');
    return dropped;
  }

  /**
   * The members whose task's job hash is gone (retention removed it, or it was deleted), in every queue
   * the task may be in. One EXISTS each, sent together: on a Redis Cluster each queue's keys are in a slot
   * of their own, which a pipeline may not span.
   */
  private async removedTasks(members: string[]): Promise<string[]> {
    const gone = await Promise.all(
      members.map(async (member) => {
        const parsed = parseTaskId(member.slice(0, member.indexOf(' ')));
        if (!parsed) return false;
        const found = await Promise.all(
          this.queues
            .queuesOf(parsed.type)
            .map((queue) => this.queues.redis.exists(queue.toKey(parsed.jobId))),
        );
        return found.every((n) => n === 0);
      }),
    );
    return members.filter((_, i) => gone[i]);
  }

  private get indexKey(): string {
    return this.queues.key('artifacts');
  }
}
