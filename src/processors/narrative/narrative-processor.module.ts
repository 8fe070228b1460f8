import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { TaxonomyModule } from '../../taxonomy/taxonomy.module.js';
import { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { ChatCompletionsClient } from './llm/chat-completions.client.js';
import { LlmNarrativeWriter } from './llm/llm-narrative.writer.js';
import { NarrativeProcessor } from './narrative.processor.js';
import { NARRATIVE_WRITER, type NarrativeWriter } from './narrative-writer.js';
import { TAXONOMY_LOOKUP, type TaxonomyLookup } from './taxonomy-lookup.js';
import { TemplateNarrativeWriter } from './template-narrative.writer.js';

@Module({
  imports: [TaxonomyModule],
  providers: [
    NarrativeProcessor,
    // Workers read masks and epochs through the same resilient cache as the API.
    {
      provide: TAXONOMY_LOOKUP,
      inject: [TaxonomyService],
      useFactory: (taxonomy: TaxonomyService): TaxonomyLookup => ({
        get: (kind, slug) => taxonomy.lookup(kind, slug),
      }),
    },
    {
      provide: NARRATIVE_WRITER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): NarrativeWriter => {
        const llm = config.adapters.llm;
        return llm ? new LlmNarrativeWriter(new ChatCompletionsClient(llm)) : new TemplateNarrativeWriter();
      },
    },
  ],
})
export class NarrativeProcessorModule {}
