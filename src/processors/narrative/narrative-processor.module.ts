import { Module } from '@nestjs/common';
import { TaxonomyModule } from '../../taxonomy/taxonomy.module.js';
import { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { NarrativeProcessor } from './narrative.processor.js';
import { TAXONOMY_LOOKUP, type TaxonomyLookup } from './taxonomy-lookup.js';

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
  ],
})
export class NarrativeProcessorModule {}
