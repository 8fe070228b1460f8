import { Module } from '@nestjs/common';
import { TaxonomyRepository } from '../../taxonomy/taxonomy.repository.js';
import { NarrativeProcessor } from './narrative.processor.js';
import { TAXONOMY_LOOKUP } from './taxonomy-lookup.js';

@Module({
  providers: [
    NarrativeProcessor,
    TaxonomyRepository,
    // Straight to the database until the cached taxonomy service is bound here instead.
    { provide: TAXONOMY_LOOKUP, useExisting: TaxonomyRepository },
  ],
})
export class NarrativeProcessorModule {}
