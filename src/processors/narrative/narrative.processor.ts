import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { PermanentTaskError, type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import type { TaxonomyKind } from '../../taxonomy/taxonomy-kind.js';
import type { NarrativeInput } from './narrative.dto.js';
import { narrativeTask } from './narrative.task.js';
import { TAXONOMY_LOOKUP, type TaxonomyLookup } from './taxonomy-lookup.js';
import type { VoiceMask } from './narrative-voices.data.js';
import { type NarrativeResult, writeNarrative } from './write-narrative.js';

@Processor(narrativeTask.queueName)
export class NarrativeProcessor extends TaskProcessorHost<typeof narrativeTask, NarrativeResult> {
  readonly task = narrativeTask;

  constructor(@Inject(TAXONOMY_LOOKUP) private readonly taxonomy: TaxonomyLookup) {
    super();
  }

  protected async handle(input: NarrativeInput, context: TaskContext): Promise<NarrativeResult> {
    const mask = await this.resolve('masks', input.maskSlug);
    const epoch = await this.resolve('epochs', input.epochSlug);
    return writeNarrative(input, { mask, epoch }, context.progress);
  }

  /** A slug missing from the taxonomy will be missing on every retry too: fail at once. */
  private async resolve(kind: TaxonomyKind, slug: string | undefined): Promise<VoiceMask | undefined> {
    if (slug === undefined) return undefined;
    const item = await this.taxonomy.get(kind, slug);
    if (!item) throw new PermanentTaskError(`${kind.slice(0, -1)} "${slug}" does not exist in the taxonomy`);
    return item;
  }
}
