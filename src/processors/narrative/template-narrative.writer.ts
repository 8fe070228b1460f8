import type { TaskContext } from '../../tasks/task-processor.host.js';
import type { NarrativeInput } from './narrative.dto.js';
import type { NarrativeWriter } from './narrative-writer.js';
import { type NarrativeResult, type NarrativeTaxonomy, writeNarrative } from './write-narrative.js';

/** The offline default: deterministic templates, no network. */
export class TemplateNarrativeWriter implements NarrativeWriter {
  write(input: NarrativeInput, taxonomy: NarrativeTaxonomy, context: TaskContext): Promise<NarrativeResult> {
    return writeNarrative(input, taxonomy, context.progress);
  }
}
