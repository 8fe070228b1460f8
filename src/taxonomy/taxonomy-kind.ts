/** The three taxonomy collections, in the order a snapshot lists them. */
export const TAXONOMY_KINDS = ['masks', 'epochs', 'stages'] as const;

export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];

export function isTaxonomyKind(value: string): value is TaxonomyKind {
  return (TAXONOMY_KINDS as readonly string[]).includes(value);
}
