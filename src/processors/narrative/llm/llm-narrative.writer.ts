import type { TaskContext } from '../../../tasks/task-processor.host.js';
import type { NarrativeInput } from '../narrative.dto.js';
import type { LlmNarrativeResult, NarrativeWriter } from '../narrative-writer.js';
import type { NarrativeTaxonomy } from '../write-narrative.js';
import type { ChatCompletionsClient } from './chat-completions.client.js';
import { expectedAnswerChars, narrativePrompt } from './narrative-prompt.js';

/** Each progress update is a Redis write and a stream event: at most this often while tokens arrive. */
const PROGRESS_EVERY_MS = 250;

/**
 * Writes the narrative with the configured model. Progress climbs from 10 to 95 as text streams in
 * (against the length the prompt asks for), and reaches 100 when the answer is complete.
 */
export class LlmNarrativeWriter implements NarrativeWriter {
  constructor(private readonly client: ChatCompletionsClient) {}

  async write(
    input: NarrativeInput,
    taxonomy: NarrativeTaxonomy,
    context: TaskContext,
  ): Promise<LlmNarrativeResult> {
    await context.progress(10);
    const expected = expectedAnswerChars(input);
    let reportedAt = 0;
    let reported = 10;
    const onText = (chars: number) => {
      const pct = Math.min(95, 10 + Math.floor((85 * chars) / expected));
      if (pct <= reported || Date.now() - reportedAt < PROGRESS_EVERY_MS) return;
      reported = pct;
      reportedAt = Date.now();
      // Not awaited: the stream keeps flowing; a failed update only loses one progress value.
      void context.progress(pct).catch(() => undefined);
    };
    const answer = await this.client.complete(narrativePrompt(input, taxonomy), {
      signal: context.signal,
      onText,
    });
    const text = answer.text.trim();
    // An empty answer is a provider hiccup (a filtered or cut-off completion); another attempt may do better.
    if (!text) throw new Error('the LLM provider returned an empty answer');
    await context.progress(100);
    return { text, generator: 'llm', model: answer.model, usage: answer.usage };
  }
}
