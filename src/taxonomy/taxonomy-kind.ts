import { TAXONOMY_KINDS, type TaxonomyKind } from '../database/database.schema.js';

/** The three taxonomy collections, in the order a snapshot lists them (the table's CHECK owns the list). */
export { TAXONOMY_KINDS, type TaxonomyKind };

export function isTaxonomyKind(value: string): value is TaxonomyKind {
  return (TAXONOMY_KINDS as readonly string[]).includes(value);
}
