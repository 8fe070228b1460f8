import type { TaskContext } from '../../tasks/task-processor.host.js';
import type { TokenUsage } from './llm/chat-completions.client.js';
import type { NarrativeInput } from './narrative.dto.js';
import type { NarrativeResult, NarrativeTaxonomy } from './write-narrative.js';

export interface LlmNarrativeResult {
  text: string;
  generator: 'llm';
  model: string;
  /** As the provider reported it; null when it did not. */
  usage: TokenUsage | null;
}

export type AnyNarrativeResult = NarrativeResult | LlmNarrativeResult;

/** Who writes the text: the offline templates, or the LLM when LLM_BASE_URL is set. */
export interface NarrativeWriter {
  write(
    input: NarrativeInput,
    taxonomy: NarrativeTaxonomy,
    context: TaskContext,
  ): Promise<AnyNarrativeResult>;
}

export const NARRATIVE_WRITER = Symbol('NARRATIVE_WRITER');
