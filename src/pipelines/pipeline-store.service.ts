import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { slotTag } from '../redis/cluster-keys.util.js';
import { TaskQueues } from '../tasks/task-queues.service.js';
import type { CachedOutput, RunDoc, StepOutput } from './pipeline-run.js';

// Compare-and-set on the run record's version: two API or worker processes never both win a transition.
const SET_IF_VERSION = `
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'v', tostring(tonumber(ARGV[1]) + 1))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

const MAX_TRIES = 20;

async function execOrThrow(multi: ChainableCommander): Promise<void> {
  const failed = (await multi.exec())?.find(([err]) => err);
  if (failed) throw failed[0];
}

/**
 * Runs in the queue Redis (noeviction, like the jobs they point to):
 * - `<prefix>:pipelines:<id>`: hash `doc` (the RunDoc as JSON) and `v` (its version), `{<id>}` on a Cluster;
 * - `<prefix>:pipelines:<id>:outputs`: hash step id → StepOutput;
 * - `<prefix>:pipelines:<id>:cache`: development only, hash `<step>:<input hash>` → CachedOutput.
 * The first two live as long as the longest task retention after their last write, the cache
 * PIPELINE_DEV_TTL_SECONDS.
 */
@Injectable()
export class PipelineStore {
  constructor(
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get redis() {
    return this.queues.redis;
  }

  /** A run's keys share a slot on a Cluster (its id is their hash tag): they are written together. */
  private key(id: string, part?: 'outputs' | 'cache'): string {
    const run = slotTag(this.redis, id);
    return [this.config.queue.prefix, 'pipelines', run, ...(part ? [part] : [])].join(':');
  }

  /** Seconds a run outlives its last change: as long as the tasks it is made of are kept. */
  get retentionS(): number {
    const { removeOnComplete, removeOnFail } = this.config.queue;
    return Math.max(removeOnComplete.age, removeOnFail.age);
  }

  async read(id: string): Promise<{ doc: RunDoc; version: string } | undefined> {
    const [doc, version] = await this.redis.hmget(this.key(id), 'doc', 'v');
    return doc && version ? { doc: JSON.parse(doc) as RunDoc, version } : undefined;
  }

  async create(doc: RunDoc): Promise<void> {
    if (!(await this.setIfVersion(doc, '0'))) throw new ConflictException('the run exists already');
  }

  /**
   * Read, change, compare-and-set, retried while another process changed the run in between. `change`
   * mutates the document and returns a value; it may read elsewhere (job states) and may throw to refuse.
   */
  async update<T>(id: string, change: (doc: RunDoc) => Promise<T> | T): Promise<{ doc: RunDoc; value: T }> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const found = await this.read(id);
      if (!found) throw new ConflictException('the run no longer exists');
      const value = await change(found.doc);
      if (await this.setIfVersion(found.doc, found.version)) return { doc: found.doc, value };
    }
    throw new ConflictException('the run is being changed by others; retry');
  }

  private async setIfVersion(doc: RunDoc, version: string): Promise<boolean> {
    const set = await this.redis.eval(
      SET_IF_VERSION,
      1,
      this.key(doc.id),
      version,
      JSON.stringify(doc),
      this.retentionS,
    );
    return set === 1;
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.key(id), this.key(id, 'outputs'), this.key(id, 'cache'));
  }

  async outputs(id: string): Promise<Record<string, StepOutput>> {
    const raw = await this.redis.hgetall(this.key(id, 'outputs'));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as StepOutput]));
  }

  async saveOutput(id: string, step: string, output: StepOutput): Promise<void> {
    const key = this.key(id, 'outputs');
    await execOrThrow(
      this.redis
        .multi()
        .hset(key, step, JSON.stringify(output))
        .expire(key, this.retentionS)
        .expire(this.key(id), this.retentionS),
    );
  }

  async cached(id: string, field: string): Promise<CachedOutput | undefined> {
    const raw = await this.redis.hget(this.key(id, 'cache'), field);
    return raw ? (JSON.parse(raw) as CachedOutput) : undefined;
  }

  async saveCached(id: string, field: string, entry: CachedOutput): Promise<void> {
    const key = this.key(id, 'cache');
    await execOrThrow(
      this.redis.multi().hset(key, field, JSON.stringify(entry)).expire(key, this.config.pipelines.devTtlS),
    );
  }
}
