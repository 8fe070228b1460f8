import { Module } from '@nestjs/common';
import { TaxonomyRepository } from './taxonomy.repository.js';
import { TaxonomyService } from './taxonomy.service.js';

/** The data and its cached reads, for every role (workers read masks and epochs for narratives). */
@Module({
  providers: [TaxonomyRepository, TaxonomyService],
  exports: [TaxonomyService, TaxonomyRepository],
})
export class TaxonomyModule {}
