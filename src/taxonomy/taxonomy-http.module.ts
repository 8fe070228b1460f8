import { Module } from '@nestjs/common';
import { TaxonomyController } from './taxonomy.controller.js';
import { TaxonomyModule } from './taxonomy.module.js';
import { taxonomyRouteDocs } from './taxonomy.route-docs.js';

/** The REST API over the taxonomy (api and all roles). */
@Module({ imports: [TaxonomyModule], controllers: [TaxonomyController], providers: [taxonomyRouteDocs] })
export class TaxonomyHttpModule {}
