import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import type { RateLimiterOptions } from 'bullmq';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { PermanentTaskError, type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import type { TaxonomyKind } from '../../taxonomy/taxonomy-kind.js';
import { providerFailure } from '../shared/provider-failure.util.js';
import { perMinute } from '../shared/per-minute-limiter.js';
import type { NarrativeInput } from './narrative.dto.js';
import { narrativeTask } from './narrative.task.js';
import { type AnyNarrativeResult, NARRATIVE_WRITER, type NarrativeWriter } from './narrative-writer.js';
import { TAXONOMY_LOOKUP, type TaxonomyLookup } from './taxonomy-lookup.js';
import type { VoiceMask } from './narrative-voices.data.js';

@Processor(narrativeTask.queueName)
export class NarrativeProcessor extends TaskProcessorHost<typeof narrativeTask, AnyNarrativeResult> {
  readonly task = narrativeTask;
  /** The provider's quota, shared by every worker; the offline templates need none. */
  override readonly limiter?: RateLimiterOptions;

  constructor(
    @Inject(TAXONOMY_LOOKUP) private readonly taxonomy: TaxonomyLookup,
    @Inject(NARRATIVE_WRITER) private readonly writer: NarrativeWriter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.limiter = perMinute(config.adapters.llm?.maxPerMinute);
  }

  protected async handle(input: NarrativeInput, context: TaskContext): Promise<AnyNarrativeResult> {
    const mask = await this.resolve('masks', input.maskSlug);
    const epoch = await this.resolve('epochs', input.epochSlug);
    try {
      return await this.writer.write(input, { mask, epoch }, context);
    } catch (err) {
      throw providerFailure(err, context);
    }
  }

  /** A slug missing from the taxonomy will be missing on every retry too: fail at once. */
  private async resolve(kind: TaxonomyKind, slug: string | undefined): Promise<VoiceMask | undefined> {
    if (slug === undefined) return undefined;
    const item = await this.taxonomy.get(kind, slug);
    if (!item) throw new PermanentTaskError(`${kind.slice(0, -1)} "${slug}" does not exist in the taxonomy`);
    return item;
  }
}
