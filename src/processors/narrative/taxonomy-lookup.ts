import type { TaxonomyItem } from '../../taxonomy/taxonomy-item.entity.js';
import type { TaxonomyKind } from '../../taxonomy/taxonomy-kind.js';

/**
 * How the narrative processor reads masks and epochs. `TaxonomyRepository` fits as is; the app binds the
 * cached taxonomy service instead, so workers read through the cache.
 */
export interface TaxonomyLookup {
  get(kind: TaxonomyKind, slug: string): Promise<TaxonomyItem | undefined>;
}

export const TAXONOMY_LOOKUP = Symbol('TAXONOMY_LOOKUP');
